#!/usr/bin/env bash
# t052_security.sh: the access token stays secret, TLS cannot be bypassed,
# files are private.
#  - A distinctive token goes through successful, faulty, revoked and refused
#    runs with --verbose: it never appears in any output, in
#    the database files, or in the request lines the server saw (so never in
#    a URL), while the server did accept it (it was sent, in POST bodies).
#  - A token file readable by others is refused without echoing the token.
#  - Secrets of alert channels (a webhook URL's key, an SMTP password) are
#    neither printed nor stored, also when delivery fails or the URL is bad.
#  - Plain http:// is refused for any host but loopback, also when disguised;
#    a server whose certificate does not verify is refused, with no option
#    to turn verification off.
#  - The database, its -wal/-shm files and report files are created 0600
#    whatever the umask.
source "$(dirname "$0")/lib.sh"
T=$NOW
TOKEN="vk1.a.SeCrEt$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')Zz"
export VKPULSE_TOKEN=$TOKEN
all=$tmp/all-output.txt
: >"$all"

# vk NAME CODE ARGS...: expect + keep every byte vkpulse printed.
vk() {
    local name=$1 want=$2
    shift 2
    expect "$name" "$want" "$VKPULSE" "$@"
    cat "$tmp/out" "$tmp/err" >>"$all"
}

# ---- the token ---------------------------------------------------------------------
start_fake --dataset tiny --rps 100 --time $T --token "$TOKEN" --request-log "$tmp/requests.log"
write_config "$tmp/c.ini" 20
umask 000
vk "init" 0 --config "$tmp/c.ini" --verbose init
vk "collect" 0 --config "$tmp/c.ini" --verbose collect --once
vk "status" 0 --config "$tmp/c.ini" --verbose status
accepted=$(fake_stat calls)
check "the server accepted the token ($accepted calls)" test "$accepted" -gt 50
stop_fake

start_fake --dataset tiny --rps 100 --time $T --token "$TOKEN" --request-log "$tmp/requests.log" \
    --fail-500 10 --drop 10 --truncate 10 --exec-fail 10 --fail-10 10 --fault-seed 3
write_config "$tmp/c.ini" 20
rm -f "$tmp"/vk.db*
vk "init (faults)" 0 --config "$tmp/c.ini" init
# Held mid-run by the fake server (its 3rd request on) to see the -wal and -shm
# files while a writer has them open.
fake_pause_at 3
"$VKPULSE" --config "$tmp/c.ini" --verbose collect --once >"$tmp/out" 2>"$tmp/err" &
collector=$!
wait_paused "$collector" "the collector mid-run"
check "-wal and -shm exist while the collector runs" test -e "$tmp/vk.db-wal" -a -e "$tmp/vk.db-shm"
modes=$(stat -c %a "$tmp/vk.db-wal" "$tmp/vk.db-shm" | tr '\n' ' ')
fake_resume
wait_exit "the collector, let go, ends" "$collector"
cat "$tmp/out" "$tmp/err" >>"$all"
check "collect through faults (exit $rc)" test "$rc" -eq 0
check "-wal and -shm are 0600 under umask 000" test "$modes" = "600 600 "
stop_fake

start_fake --dataset tiny --rps 100 --time $T --token "$TOKEN" --request-log "$tmp/requests.log" \
    --revoke-after 2
write_config "$tmp/c.ini" 20
rm -f "$tmp"/vk.db*
vk "init (revoked)" 0 --config "$tmp/c.ini" init
vk "revoked token" 1 --config "$tmp/c.ini" --verbose collect --once
err_has "revoked: says what to do" 'get a new token'
stop_fake

# Secrets of delivery channels: the rejected token raises an alert, whose
# delivery to a webhook and a mail server that both refuse fails; nothing
# printed or stored may show the webhook URL's key or the SMTP password.
HOOK="hookK3y$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
PASS="pw$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')Zz"
cp "$tmp/c.ini" "$tmp/ch.ini"
printf '[channel]\ntype = webhook\nurl = http://127.0.0.1:9/hook/%s\n' "$HOOK" >>"$tmp/ch.ini"
printf '[channel]\ntype = email\nsmtp_url = smtp://127.0.0.1:9\nfrom = a@example.org\n' >>"$tmp/ch.ini"
printf 'to = b@example.org\nuser = vkpulse\npassword = %s\ntimeout = 2\n' "$PASS" >>"$tmp/ch.ini"
vk "alerts with failing channels" 3 --config "$tmp/ch.ini" --verbose alerts
err_has "both deliveries were tried and failed" 'channel 2 \(email\): delivery of message [0-9]+ failed'
sed "s|^url = http://127.0.0.1:9/hook/.*|url = ftp://127.0.0.1/hook/$HOOK|" "$tmp/ch.ini" >"$tmp/bad.ini"
vk "a bad webhook URL is refused" 2 --config "$tmp/bad.ini" init
for secret in "$HOOK" "$PASS"; do
    if grep -qF "$secret" "$all"; then fail "a channel secret is in the output: $(grep -F "$secret" "$all" | head -2)"; fi
    ok
    for f in "$tmp"/vk.db*; do
        if grep -aqF "$secret" "$f"; then fail "a channel secret is stored in $(basename "$f")"; fi
        ok
    done
done

# A token the server does not know: its error must not quote it.
start_fake --dataset tiny --rps 100 --time $T --request-log "$tmp/requests.log"
write_config "$tmp/c.ini" 20
vk "unknown token" 1 --config "$tmp/c.ini" --verbose collect --once
err_has "unknown: the token was rejected" 'rejected the access token'
stop_fake

# From a private file instead of the environment.
unset VKPULSE_TOKEN
printf '%s\n' "$TOKEN" >"$tmp/token"
chmod 644 "$tmp/token"
printf '[vk]\ntoken_file = %s\n' "$tmp/token" >"$tmp/tf.ini"
sed -n '/^\[collect\]/,$p' "$tmp/c.ini" >>"$tmp/tf.ini"
sed -n '/^\[database\]/,/^\[vk\]/p' "$tmp/c.ini" | grep -v '^\[vk\]' >>"$tmp/tf.ini"
vk "token file readable by others" 2 --config "$tmp/tf.ini" collect --once
err_has "token file: says chmod 600" "chmod 600 $tmp/token"
export VKPULSE_TOKEN=$TOKEN

# The proof: the token went to the server, and nowhere else.
requests=$(wc -l <"$tmp/requests.log")
check "the server logged the requests ($requests)" test "$requests" -gt 10
check "every API request was a POST with no query string" \
    test "$(grep -c '^POST /method/[a-zA-Z.]*$' "$tmp/requests.log")" -eq "$(grep -c ' /method/' "$tmp/requests.log")"
for f in "$all" "$tmp/requests.log" "$tmp/fake.log" "$tmp/fake.out"; do
    if grep -qF "$TOKEN" "$f"; then fail "the token leaked into $(basename "$f"): $(grep -F "$TOKEN" "$f" | head -2)"; fi
    ok
done
# Also no 12-character piece of it (a token cut by a message).
piece=${TOKEN:6:12}
if grep -qF "$piece" "$all"; then fail "a piece of the token is in the output"; fi
ok
for f in "$tmp"/vk.db*; do
    if strings -a "$f" | grep -qF "$piece"; then fail "the token is stored in $(basename "$f")"; fi
    ok
done
echo "security: token checked in $(wc -c <"$all") bytes of output, $requests request lines," \
    "$(cat "$tmp"/vk.db* | wc -c) bytes of database files: not found"

# ---- files are private -----------------------------------------------------------------
check "vk.db is 0600 under umask 000 ($(stat -c %a "$tmp/vk.db"))" test "$(stat -c %a "$tmp/vk.db")" = 600
# Reports and exports too: the weekly report in each format, written under umask 000.
for fmt in html csv json text; do
    vk "report --format $fmt --output" 0 --config "$tmp/c.ini" report --format $fmt --output "$tmp/report.$fmt"
    check "report.$fmt is 0600 under umask 000 ($(stat -c %a "$tmp/report.$fmt"))" \
        test "$(stat -c %a "$tmp/report.$fmt")" = 600
done
umask 077

# ---- plain http only on loopback -------------------------------------------------------
for url in http://api.vk.com/method http://10.0.0.1/method http://127.0.0.1.evil.example/method \
    http://localhost:80@evil.example/method http://127.0.0.1@evil.example/method; do
    sed "s|^api_url = .*|api_url = $url|" "$tmp/c.ini" >"$tmp/bad.ini"
    vk "refused: $url" 2 --config "$tmp/bad.ini" init
    err_has "refused: $url: says why" 'must use https|without user, password'
done
check "no configuration key turns TLS verification off" \
    test "$("$VKPULSE" --config-keys | awk '/^  [a-z]/ {print $1}' | grep -Eci 'verify|insecure|tls|ssl|cert|ca_?(file|info|path)')" -eq 0

# ---- a certificate that does not verify -----------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
openssl s_server -accept 127.0.0.1:0 -cert "$tmp/cert.pem" -key "$tmp/key.pem" -www \
    >"$tmp/tls.out" 2>&1 &
TLS_PID=$!
trap 'kill $TLS_PID 2>/dev/null || true; cleanup' EXIT
wait_until "openssl s_server listening" "$TLS_PID" grep -q '^ACCEPT' "$tmp/tls.out"
tls_port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$tmp/tls.out")
[ -n "$tls_port" ] || fail "openssl s_server did not start: $(cat "$tmp/tls.out")"
sed "s|^api_url = .*|api_url = https://127.0.0.1:$tls_port/method|" "$tmp/c.ini" >"$tmp/tls.ini"
vk "self-signed certificate refused" 1 --config "$tmp/tls.ini" collect --once
err_has "the error names the certificate" 'certificate'
kill $TLS_PID 2>/dev/null || true
if grep -q 'POST /method' "$tmp/tls.out"; then fail "a request reached the unverified server"; fi
ok
finish
