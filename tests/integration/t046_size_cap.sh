#!/usr/bin/env bash
# t046_size_cap.sh: answers over [vk] max_response_kb are refused, not
# buffered. (1) The fake server's real answers (member pages of 1000 people)
# exceed a 64 KiB cap: the run ends partial with an error naming the setting,
# execute batches shrink first, and the rest of the data is still collected.
# (2) A server that offers a 1 GiB answer: the collector reads about the cap,
# drops the connection and stays as small as a normal run.
# labels: valgrind
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
T=$NOW

# peak_kb FILE CMD...: runs CMD, its exit code in $rc, its peak RSS (KiB) in FILE.
peak_kb() {
    local file=$1
    shift
    set +e
    /usr/bin/time -f '%M' -o "$file" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
}

# ---- 1: big answers from the fake server -------------------------------------------
start_fake --dataset tiny --members 3000 --rps 100 --time $T
write_config "$tmp/c.ini" 20
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
peak_kb "$tmp/normal.rss" "$VKPULSE" --config "$tmp/c.ini" collect --once
check "uncapped run completes (exit $rc)" test "$rc" -eq 0
normal=$(tail -1 "$tmp/normal.rss")
big=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM membership")
check "3000-member groups collected without the cap ($big memberships)" test "$big" -ge 5000

rm -f "$tmp"/vk.db*
sed -i "s/^timeout = .*/&\nmax_response_kb = 64/" "$tmp/c.ini"
expect "init capped" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "capped run is partial" 4 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "the error names the setting" 'groups.getMembers failed for test_group_[12]: answer is larger than the configured limit \(max_response_kb\)'
err_has "execute batches shrink first" 'answer too big for one execute: batches shrink'
refused=$(sqlite3 "$tmp/vk.db" "SELECT ifnull(sum(count), 0) FROM run_error WHERE code = -3")
check "refused answers are counted in run_error ($refused)" test "$refused" -ge 2
check "no member list was taken from a refused answer" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM snapshot WHERE members_ok")" -eq 0
check "the walls were still collected" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM post")" -eq "$(grep -c '^post	' <("$FAKEVK" --anchor "$ANCHOR" --dataset tiny --members 3000 --time $T --dump-expected /dev/stdout 2>/dev/null))"
check "the run is recorded as partial" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT status FROM run ORDER BY id DESC LIMIT 1")" = partial
stop_fake

# ---- 2: a server that never stops answering ------------------------------------------
cat >"$tmp/endless.py" <<'PY'
# Answers every request with a 1 GiB body and logs how much each connection took.
import socket, sys, threading
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(16)
open(sys.argv[1] + ".tmp", "w").write(str(srv.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
log = open(sys.argv[2], "a", buffering=1)
chunk = b"[" + b"1," * 32767 + b"1"
def serve(conn):
    sent = 0
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            more = conn.recv(65536)
            if not more:
                return
            data += more
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1073741824\r\n\r\n")
        while sent < 1 << 30:
            conn.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    finally:
        log.write("sent %d\n" % sent)
        conn.close()
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
python3 "$tmp/endless.py" "$tmp/endless.port" "$tmp/endless.log" 2>"$tmp/endless.err" &
ENDLESS=$!
trap 'kill $ENDLESS 2>/dev/null || true; cleanup' EXIT
wait_until "the endless server listening ($tmp/endless.err)" "$ENDLESS" test -s "$tmp/endless.port"
sed -i "s|^api_url = .*|api_url = http://127.0.0.1:$(cat "$tmp/endless.port")/method|" "$tmp/c.ini"
rm -f "$tmp"/vk.db*
expect "init endless" 0 "$VKPULSE" --config "$tmp/c.ini" init
start=$(date +%s)
peak_kb "$tmp/endless.rss" "$VKPULSE" --config "$tmp/c.ini" collect --once
secs=$(($(date +%s) - start))
capped=$(tail -1 "$tmp/endless.rss")
check "a 1 GiB answer ends the run as failed or partial, not ok (exit $rc)" test "$rc" -eq 1 -o "$rc" -eq 4
err_has "the refusal names the setting" 'larger than the configured limit \(max_response_kb\)'
answers=$(wc -l <"$tmp/endless.log")
most=$(sort -n -k2 "$tmp/endless.log" | tail -1 | cut -d' ' -f2)
total=$(awk '{s += $2} END {print s + 0}' "$tmp/endless.log")
echo "size cap: $answers answers of 1 GiB offered, at most $((most / 1024)) KiB sent into one connection" \
    "(socket buffers included), $((total / 1048576)) MiB in all, $secs s;" \
    "peak RSS ${capped} KiB against ${normal} KiB for a normal run"
check "the server offered answers ($answers)" test "$answers" -ge 1
check "no connection was read to the end ($((most / 1048576)) MiB of 1024)" test "$most" -lt $((32 * 1048576))
check "memory stays that of a normal run (${capped} <= ${normal} + 16384 KiB)" \
    test "$capped" -le $((normal + 16384))
finish
