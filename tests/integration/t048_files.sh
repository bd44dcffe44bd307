#!/usr/bin/env bash
# t048_files.sh: files vkpulse writes and reads, against an unlucky or hostile world
# (issue 16).
#  - `report --output` and `crosscheck --output` write through an O_CREAT|O_EXCL
#    temporary beside the target and rename only over a regular file: a directory,
#    a FIFO or a symbolic link at the target is refused with a message and exit 2,
#    a planted PATH.tmp link is never followed, and nothing is left behind.
#  - `survey roster` with an empty or header-only file keeps the stored roster and
#    fails; a FIFO as survey or roster file is refused at once, not waited on.
#  - Commands whose standard output cannot be written exit non-zero.
#  - Readers on a read-only file system read the database as it is; on a full one,
#    and writers on a read-only one, they say so instead of SQLite's "unable to open
#    database file" or "disk I/O error".
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
q() { sqlite3 "$tmp/vk.db" "$@"; }

start_fake --dataset demo --rps 100 --time $NOW
demo_config "$tmp/c.ini"
C=(--config "$tmp/c.ini")
expect "init" 0 "$VKPULSE" "${C[@]}" init
expect "collect" 0 "$VKPULSE" "${C[@]}" collect --once --quiet
expect "survey" 0 "$VKPULSE" "${C[@]}" survey import "$VKP_SRC/config/demo-survey-2023.csv" --year 2023
stop_fake

# ---- output files ------------------------------------------------------------------------
mkdir "$tmp/out.d"
mkfifo "$tmp/fifo"
echo precious >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/link"
for cmd in "report --week 2026-W47" "crosscheck --year 2023"; do
    name=${cmd%% *}
    # shellcheck disable=SC2086
    expect "$name --output DIR" 2 "$VKPULSE" "${C[@]}" $cmd --output "$tmp/out.d"
    err_has "$name --output DIR: says why" "cannot write '$tmp/out.d': it is a directory"
    # shellcheck disable=SC2086
    expect "$name --output FIFO" 2 timeout 300 "$VKPULSE" "${C[@]}" $cmd --output "$tmp/fifo"
    err_has "$name --output FIFO: says why" "it is a FIFO"
    check "$name --output FIFO: still a FIFO" test -p "$tmp/fifo"
    # shellcheck disable=SC2086
    expect "$name --output LINK" 2 "$VKPULSE" "${C[@]}" $cmd --output "$tmp/link"
    err_has "$name --output LINK: says why" "it is a symbolic link"
    check "$name --output LINK: the link's target untouched" test "$(cat "$tmp/victim")" = precious
    check "$name --output LINK: still a link" test -L "$tmp/link"
    # A link planted where a predictable temporary would go is never followed.
    ln -sf "$tmp/victim" "$tmp/$name.out.tmp"
    # shellcheck disable=SC2086
    expect "$name --output FILE" 0 "$VKPULSE" "${C[@]}" $cmd --output "$tmp/$name.out"
    check "$name --output FILE: written" test -s "$tmp/$name.out"
    check "$name --output FILE: planted link not followed" test "$(cat "$tmp/victim")" = precious
    check "$name --output FILE: private" test "$(stat -c %a "$tmp/$name.out")" = 600
    # shellcheck disable=SC2086
    expect "$name --output FILE again (replaced)" 0 "$VKPULSE" "${C[@]}" $cmd --output "$tmp/$name.out"
    check "$name: no temporary left" test "$(find "$tmp" -maxdepth 1 -name "$name.out.??????" | wc -l)" -eq 0
done

# ---- survey and roster files -------------------------------------------------------------
uid=$(q "SELECT user_id FROM membership LIMIT 1")
printf 'VK;Муниципалитет\nhttps://vk.com/id%s;Пластовский МР\n' "$uid" >"$tmp/roster.csv"
expect "roster" 0 "$VKPULSE" "${C[@]}" survey roster "$tmp/roster.csv"
: >"$tmp/empty.csv"
printf 'VK;Муниципалитет\n' >"$tmp/header.csv"
for f in empty header; do
    expect "roster from the $f file fails" 1 "$VKPULSE" "${C[@]}" survey roster "$tmp/$f.csv"
    check "roster from the $f file: the stored roster is kept" test "$(q "SELECT count(*) FROM roster")" -eq 1
done
err_has "an empty roster says why" 'no people in it: a roster needs a row per teacher'
expect "roster from a FIFO: refused at once" 1 timeout 300 "$VKPULSE" "${C[@]}" survey roster "$tmp/fifo"
err_has "roster from a FIFO: says why" "is not a regular file"
expect "survey from a FIFO: refused at once" 1 timeout 300 "$VKPULSE" "${C[@]}" survey import "$tmp/fifo" --year 2024
err_has "survey from a FIFO: says why" "is not a regular file"

# ---- standard output that cannot be written ----------------------------------------------
if [ -w /dev/full ]; then
    for cmd in status "survey list" --help "report --week 2026-W47"; do
        check "$cmd to a full disk: fails" sh -c "set +e; \"$VKPULSE\" --config '$tmp/c.ini' $cmd >/dev/full 2>'$tmp/full.err'; test \$? -ne 0"
        check "$cmd to a full disk: says so" grep -q 'cannot write to standard output\|cannot write the report' "$tmp/full.err"
    done
fi

# ---- readers on a read-only or a full file system -----------------------------------------
mnt=$tmp/mnt
mkdir "$mnt"
if mount -t tmpfs -o size=32m tmpfs "$mnt" 2>/dev/null; then
    # A mount left behind would keep lib.sh from removing $tmp.
    trap 'umount "$mnt" 2>/dev/null || true; cleanup' EXIT
    sqlite3 "$tmp/vk.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    cp "$tmp/vk.db" "$mnt/vk.db"
    M=(--config "$tmp/c.ini" --db "$mnt/vk.db")
    mount -o remount,ro "$mnt"
    expect "read-only file system: status reads" 0 "$VKPULSE" "${M[@]}" status
    out_has "read-only file system: status shows the communities" 'rmo_neuspeshnost'
    expect "read-only file system: report reads" 0 "$VKPULSE" "${M[@]}" report --week 2026-W47
    expect "read-only file system: crosscheck reads" 0 "$VKPULSE" "${M[@]}" crosscheck --year 2023
    expect "read-only file system: alerts (a writer) refused" 1 "$VKPULSE" "${M[@]}" alerts --no-send
    err_has "read-only file system: says so" "is on a read-only file system, and this command writes to it"
    mount -o remount,rw "$mnt"
    dd if=/dev/zero of="$mnt/fill" bs=64k 2>/dev/null || true
    expect "full file system: status fails" 1 "$VKPULSE" "${M[@]}" status
    err_has "full file system: says so" "its file system is full, and SQLite needs room for '$mnt/vk.db-shm'"
    umount "$mnt"
else
    echo "skip: cannot mount a tmpfs here (no read-only or full file system checks)"
fi
finish
