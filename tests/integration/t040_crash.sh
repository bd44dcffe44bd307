#!/usr/bin/env bash
# t040_crash.sh: kill -9 of the collector at 20 random instants of a run.
# After each kill the database passes integrity_check and holds no
# half-written part (a snapshot flag is only ever set with its data); the next
# run completes the work, and in the end the database equals the dataset
# exactly: nothing lost, nothing counted twice. Then: a read-only database
# and a full disk end in a clear error, with the database intact.
# labels: slow
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
T=$NOW
KILLS=${VKP_KILLS:-20}
DEMO_GROUPS="rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost sps_slabouspevayushchie sps_shkoly_lidery"

start_fake --dataset demo --rps 100 --time $T
# shellcheck disable=SC2086
write_config "$tmp/c.ini" 20 $DEMO_GROUPS
expected "$tmp/exp.tsv" --dataset demo --time $T
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init

# A full run takes about 4.5 s at 20 rps; kill within it, at random.
RANDOM=42
for i in $(seq "$KILLS"); do
    "$VKPULSE" --config "$tmp/c.ini" collect --once >/dev/null 2>&1 &
    pid=$!
    ms=$((RANDOM % 4000 + 20))
    sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    check "kill $i at ${ms} ms: integrity" test "$(sqlite3 "$tmp/vk.db" "PRAGMA integrity_check")" = ok
    check "kill $i: foreign keys hold" test -z "$(sqlite3 "$tmp/vk.db" "PRAGMA foreign_key_check")"
    # post_like has no foreign key since 0016: its post is checked here.
    check "kill $i: every like has its post" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM
        post_like l WHERE NOT EXISTS (SELECT 1 FROM post p WHERE p.owner_id = l.owner_id
        AND p.id = l.post_id)")" -eq 0
    # A member list marked complete must match the open intervals exactly.
    bad=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM snapshot s WHERE s.members_ok AND
        s.run_id = (SELECT max(run_id) FROM snapshot WHERE community_id = s.community_id AND members_ok)
        AND s.members_listed <> (SELECT count(*) FROM membership m WHERE m.community_id = s.community_id
        AND m.left_at IS NULL)")
    check "kill $i: complete member lists agree with the intervals" test "$bad" -eq 0
done
echo "$KILLS runs killed with SIGKILL at random instants"

expect "run after the kills" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "killed runs are marked failed" test "$(sqlite3 "$tmp/vk.db" \
    "SELECT count(*) FROM run WHERE status = 'running'")" -eq 0
same_data "after $KILLS kills: exact dataset, nothing twice" "$tmp/exp.tsv" "$tmp/vk.db"

# ---- a read-only database ---------------------------------------------------------
cp "$tmp/vk.db" "$tmp/before.db"
sqlite3 "$tmp/vk.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
chattr +i "$tmp/vk.db" 2>/dev/null && immutable=1 || immutable=0
if [ "$immutable" = 1 ]; then
    expect "read-only database" 1 "$VKPULSE" --config "$tmp/c.ini" collect --once
    err_has "read-only database is named" 'vk.db|read-only|readonly|permission'
    chattr -i "$tmp/vk.db"
else
    echo "skip: chattr +i not possible here (no read-only check)"
fi
check "database intact after read-only" test "$(sqlite3 "$tmp/vk.db" "PRAGMA integrity_check")" = ok

# ---- a full disk ---------------------------------------------------------------------
# A database that may not grow: SQLite answers SQLITE_FULL like on a full disk.
page_count=$(sqlite3 "$tmp/vk.db" "PRAGMA page_count")
rm -f "$tmp"/vk.db*
"$VKPULSE" --config "$tmp/c.ini" init >/dev/null
if command -v fallocate >/dev/null && mkdir -p "$tmp/small" && [ "$(id -u)" = 0 ] &&
    mount -t tmpfs -o size=600k tmpfs "$tmp/small" 2>/dev/null; then
    sed "s|^path = .*|path = $tmp/small/vk.db|" "$tmp/c.ini" >"$tmp/small.ini"
    "$VKPULSE" --config "$tmp/small.ini" init >/dev/null
    expect "full disk" 1 "$VKPULSE" --config "$tmp/small.ini" collect --once
    err_has "full disk is named" 'full|disk|space'
    check "full disk: integrity" test "$(sqlite3 "$tmp/small/vk.db" "PRAGMA integrity_check")" = ok
    umount "$tmp/small"
else
    echo "skip: cannot mount a small tmpfs here (no full-disk check; $page_count pages)"
fi
finish
