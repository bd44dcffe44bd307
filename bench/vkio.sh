#!/usr/bin/env bash
# vkio.sh: vkpulse side by side with vk-io (issue 25's bar: "against the slow independent
# server, at most 3 error 6 and no slower than vk-io side by side"). `vkpulse collect
# --once` on a fresh database and bench/vkio/collect.js (the same calls through the npm
# package vk-io, apiMode 'parallel', apiLimit = rps) each collect the same dataset from
# their own fresh fake VK server on 127.0.0.1, started with the same options. Prints
# requests, calls, error 6, wall time, CPU and peak RSS of each; exits 1 when vkpulse
# gets more than 3 error 6 or is any slower than vk-io in the busy case.
#
# Usage: bash bench/vkio.sh           (builds the Release build in build-bench/; installs
#                                      bench/vkio/node_modules with npm ci on first use)
#        BUILD=DIR bash bench/vkio.sh (uses DIR: a Release build with the fake server)
# Environment:
#   CASES="busy latency"     busy = 3 rps against a busy server (--busy BUSY_MS) on each
#                            of BUSY_SETS; latency = 3 rps, answers 250 +- 200 ms late
#   BUSY_SETS="small demo"   small = the bench dataset with 2 groups x 5000 members x 100
#                            posts (floor.sh's busy case on a small dataset); demo = the
#                            demo region's five communities
#   BUSY_MS=1500             how long a heavy answer holds the busy server's one worker
#   BUSY_BYTES=65536         what the busy server counts as a heavy answer
#   NGROUPS=3 MEMBERS=20000 POSTS=200   the latency case's bench dataset
#   PLAIN=1                  vk-io pages as a plain vk-io user would (every 1000 members,
#                            every 100 posts) instead of with vkpulse's overlaps
#   KEEP_TMP=1               keep the temp directory: each side's log, answer summary and
#                            fake server log (for a run that stalled)
# Needs node >= 18 and npm (the npm registry, on first use only). See bench/README.md.
set -euo pipefail

VKP_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CASES=${CASES:-busy latency}
BUSY_SETS=${BUSY_SETS:-small demo}
BUSY_MS=${BUSY_MS:-1500}
BUSY_BYTES=${BUSY_BYTES:-65536}
NGROUPS=${NGROUPS:-3}
MEMBERS=${MEMBERS:-20000}
POSTS=${POSTS:-200}
PLAIN=${PLAIN:-0}
BUSY_LIMIT=3    # error 6 at most, vkpulse
SLOWER_LIMIT=0  # % slower than vk-io at most, vkpulse, busy case (the bar: no slower)
VKIO_DIR="$VKP_SRC/bench/vkio"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "vkio.sh: needs node (>= 18) and npm" >&2
    exit 2
fi
if [ ! -d "$VKIO_DIR/node_modules/vk-io" ]; then
    echo "installing vk-io into $VKIO_DIR/node_modules (npm ci) ..." >&2
    (cd "$VKIO_DIR" && npm ci --no-audit --no-fund >&2)
fi
VKIO_VERSION=$(node -p "require('$VKIO_DIR/node_modules/vk-io/package.json').version")

# shellcheck source=lib.sh
source "$VKP_SRC/bench/lib.sh"
bench_setup
ANCHOR=$(($(date +%s) - 3600))

# collect_vkio NAME GROUP...: collect.js under /usr/bin/time -v against the fake server on
# $PORT; sets what collect (lib.sh) sets, fetched (its summary of what it fetched) and wire
# (the HTTP side as it saw it).
collect_vkio() {
    local name=$1 t0 t1 rc
    shift
    local extra=()
    [ "$PLAIN" = 1 ] && extra+=(--plain)
    echo "$name: vk-io collect.js ..." >&2
    t0=$(date +%s.%N)
    set +e
    /usr/bin/time -v -o "$tmp/$name.time" node "$VKIO_DIR/collect.js" \
        --url "http://127.0.0.1:$PORT/method" --rps 3 "${extra[@]}" "$@" \
        >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    set -e
    t1=$(date +%s.%N)
    [ "$rc" = 0 ] || fail "$name: collect.js exited with $rc: $(tail -c 600 "$tmp/$name.err")"
    measured "$name" "$t0" "$t1"
    fetched=$(sqlite3 :memory: "SELECT printf('%d members, %d posts, %d likes, %d comments, %d reposts',
        json_extract(j, '\$.fetched.members'), json_extract(j, '\$.fetched.posts'),
        json_extract(j, '\$.fetched.likes'), json_extract(j, '\$.fetched.comments'),
        json_extract(j, '\$.fetched.reposts')) FROM (SELECT readfile('$tmp/$name.out') AS j)")
    wire=$(sqlite3 :memory: "SELECT printf('%d connections, longest answer %.1f s, nothing in flight %.1f s (longest %.1f s)',
        json_extract(j, '\$.wire.sockets'), json_extract(j, '\$.wire.longest_answer_s'),
        json_extract(j, '\$.wire.idle_s'), json_extract(j, '\$.wire.longest_idle_s'))
        FROM (SELECT readfile('$tmp/$name.out') AS j)")
}

# stored: what vkpulse's database holds after its run, in collect_vkio's words.
stored() {
    sqlite3 "$tmp/vk.db" "SELECT printf('%d members, %d posts, %d likes, %d comments, %d reposts',
        (SELECT count(*) FROM membership), (SELECT count(*) FROM post),
        (SELECT count(*) FROM post_like), (SELECT count(*) FROM comment),
        (SELECT count(*) FROM repost))"
}

# side_by_side LABEL GROUPS FAKE-ARGS...: vkpulse, then vk-io, each against its own fresh
# fake server with FAKE-ARGS at 3 rps; GROUPS is a space-separated list. Sets p_* and v_*
# (read back by name below).
# shellcheck disable=SC2034
side_by_side() {
    local label=$1 groups
    read -r -a groups <<<"$2"
    shift 2
    rm -f "$tmp"/vk.db*
    start_fake --rps 3 --anchor "$ANCHOR" "$@"
    write_config "$tmp/c.ini" 3 "${groups[@]}"
    expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
    fake_reset # init's city directory is not the collection's
    collect "$label-vkpulse" 1
    p_secs=$secs p_cpu=$cpu p_rss=$rss_mb p_req=$req p_calls=$calls p_lim=$limited
    p_heavy=$(fake_stat faults.busy) p_fetched=$(stored)
    stop_fake
    cp "$tmp/fake.log" "$tmp/$label-vkpulse.fake.log" # KEEP_TMP=1 keeps them

    start_fake --rps 3 --anchor "$ANCHOR" "$@"
    collect_vkio "$label-vkio" "${groups[@]}"
    v_secs=$secs v_cpu=$cpu v_rss=$rss_mb v_req=$req v_calls=$calls v_lim=$limited
    v_heavy=$(fake_stat faults.busy) v_fetched=$fetched
    stop_fake
    cp "$tmp/fake.log" "$tmp/$label-vkio.fake.log" # KEEP_TMP=1 keeps them

    for side in p v; do
        local who=vkpulse s r c l u m h f
        [ "$side" = v ] && who="vk-io $VKIO_VERSION"
        eval "s=\$${side}_secs r=\$${side}_req c=\$${side}_calls l=\$${side}_lim"
        eval "u=\$${side}_cpu m=\$${side}_rss h=\$${side}_heavy f=\$${side}_fetched"
        notes+=("$label, $who: $r requests ($h heavy), $c calls, $l error 6, $s s, $u s CPU, $m MB; $f")
    done
    notes+=("$label, vk-io's wire: $wire")
}

notes=()
small=(--dataset bench --groups 2 --members 5000 --posts 100)
demo_groups="rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost"
demo_groups+=" sps_slabouspevayushchie sps_shkoly_lidery"

# ---- busy: one worker, requests counted when it takes them, heavy answers hold it ----------
if [[ " $CASES " == *" busy "* ]]; then
    for set in $BUSY_SETS; do
        case $set in
        small) side_by_side "busy small" "test_group_1 test_group_2" "${small[@]}" --busy "$BUSY_MS" --busy-bytes "$BUSY_BYTES" ;;
        demo) side_by_side "busy demo" "$demo_groups" --dataset demo --busy "$BUSY_MS" --busy-bytes "$BUSY_BYTES" ;;
        *) fail "BUSY_SETS: unknown set '$set' (small, demo)" ;;
        esac
        row "busy $set: vkpulse error 6 (vk-io: $v_lim)" "<= $BUSY_LIMIT" "$p_lim" \
            "$(verdict "$p_lim <= $BUSY_LIMIT")"
        slower=$(awk -v p="$p_secs" -v v="$v_secs" 'BEGIN { printf "%.1f", 100 * (p / v - 1) }')
        row "busy $set: wall vkpulse / vk-io" "<= +$SLOWER_LIMIT %" \
            "$p_secs s / $v_secs s = $slower %" "$(verdict "$slower <= $SLOWER_LIMIT")"
        row "busy $set: requests vkpulse / vk-io" "-" "$p_req / $v_req" "-"
        row "busy $set: peak RSS vkpulse / vk-io" "-" "$p_rss MB / $v_rss MB" "-"
    done
fi

# ---- latency: 3 rps, answers 250 +- 200 ms late ---------------------------------------------
if [[ " $CASES " == *" latency "* ]]; then
    lat_groups=""
    for i in $(seq 1 "$NGROUPS"); do lat_groups+=" test_group_$i"; done
    side_by_side "latency" "$lat_groups" --dataset bench --groups "$NGROUPS" --members "$MEMBERS" \
        --posts "$POSTS" --latency 250 --latency-jitter 200
    floor=$(awk -v r="$p_req" 'BEGIN { printf "%.1f", r / 3 }')
    row "latency: error 6 vkpulse / vk-io" "-" "$p_lim / $v_lim" "-"
    row "latency: wall vkpulse / vk-io" "-" "$p_secs s / $v_secs s" "-"
    row "latency: requests vkpulse / vk-io" "-" "$p_req (floor $floor s) / $v_req" "-"
    row "latency: peak RSS vkpulse / vk-io" "-" "$p_rss MB / $v_rss MB" "-"
fi

# ---- report ---------------------------------------------------------------------------------
echo "vkpulse against vk-io $VKIO_VERSION (node $(node --version)): $BUILD ($build_type)," \
    "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cases: $CASES; busy sets: $BUSY_SETS, BUSY_MS=$BUSY_MS, BUSY_BYTES=$BUSY_BYTES; latency dataset: bench," \
    "$NGROUPS groups x $MEMBERS members x $POSTS posts; vk-io paging: $([ "$PLAIN" = 1 ] && echo plain || echo "vkpulse's")"
for n in "${notes[@]}"; do echo "  $n"; done
echo
print_table
