#!/usr/bin/env bash
# t065_privacy.sh: personal data.
#  - By default no names, photos or texts of people are stored (and store_names = yes
#    does store names, so the check can fail); of posts, the community's content, a
#    snippet is kept (post.text, the first 200 characters), never comments' texts.
#  - Retention: with [privacy] retention_months a collection ends by purging
#    comments and reposts older than the cutoff, a second run does not bring
#    them back, and `vkpulse purge` removes old likes and post counters; a
#    refresh window longer than the retention is refused.
#  - `vkpulse forget USER_ID`: the person is gone from every table (comments
#    anonymised, not deleted), the rest is exactly the dataset, and later
#    collections, even ones that re-read every detail, leave them out.
# labels: valgrind
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
db=$tmp/vk.db
q() { sqlite3 "$db" "$@"; }

# ---- no names, photos or texts ------------------------------------------------------
T=$NOW
start_fake --dataset tiny --rps 20 --time $T
write_config "$tmp/c.ini" 20
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "collect" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
users=$(q "SELECT count(*) FROM user")
check "users stored ($users)" test "$users" -gt 50
check "no first or last names by default" \
    test "$(q "SELECT count(*) FROM user WHERE first_name IS NOT NULL OR last_name IS NOT NULL")" -eq 0
cols=$(q "SELECT group_concat(t.name || '.' || c.name, ' ') FROM sqlite_schema t, pragma_table_info(t.name) c
          WHERE t.type = 'table' AND (c.name LIKE '%text%' OR c.name LIKE '%photo%' OR c.name LIKE '%message%'
          OR c.name LIKE '%body%' OR c.name LIKE '%avatar%')
          AND NOT (t.name IN ('run', 'run_problem') AND c.name = 'message')
          AND NOT (t.name = 'post' AND c.name = 'text')")
check "no column for texts or photos but the posts' snippets ($cols)" test -z "$cols"
# Texts the server gave out in comments and replies are nowhere in the file; the posts'
# (the communities' public content) are there as snippets.
curl -s "http://127.0.0.1:$PORT/method/wall.getComments" --data \
    'access_token=demo-token&v=5.199&owner_id=-200000001&post_id=224&count=20&thread_items_count=10' \
    >"$tmp/comments.json"
curl -s "http://127.0.0.1:$PORT/method/wall.get" \
    --data 'access_token=demo-token&v=5.199&owner_id=-200000001&count=10' >"$tmp/wall.json"
sqlite3 :memory: "SELECT DISTINCT value FROM json_tree(readfile('$tmp/comments.json'))
                  WHERE key = 'text' AND length(value) >= 12" >"$tmp/texts"
sqlite3 :memory: "SELECT DISTINCT substr(value, 1, 200) FROM json_tree(readfile('$tmp/wall.json'))
                  WHERE key = 'text' AND path LIKE '$.response.items[%]' AND length(value) >= 12" \
    >"$tmp/post-texts"
check "post texts to look for ($(wc -l <"$tmp/post-texts"))" test "$(wc -l <"$tmp/post-texts")" -ge 3
while IFS= read -r text; do
    check "a post's snippet is stored: $text" \
        test "$(q "SELECT count(*) FROM post WHERE text = '${text//\'/\'\'}'")" -ge 1
done <"$tmp/post-texts"
check "texts to look for ($(wc -l <"$tmp/texts"))" test "$(wc -l <"$tmp/texts")" -ge 5
while IFS= read -r text; do
    if grep -aqF "$text" "$db"; then fail "a text is stored: $text"; fi
    ok
done <"$tmp/texts"
rm -f "$db"*
sed -i 's/^horizon_days = 3650$/horizon_days = 3650\nstore_names = yes/' "$tmp/c.ini"
expect "init (names)" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "collect (names)" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
named=$(q "SELECT count(*) FROM user WHERE first_name IS NOT NULL")
check "store_names = yes keeps names ($named), so the default really drops them" test "$named" -gt 50
echo "privacy: $users users stored without names; $(wc -l <"$tmp/texts") comment texts not found"

# ---- forget --------------------------------------------------------------------------
rm -f "$db"*
write_config "$tmp/c.ini" 20
expect "init (forget)" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "collect (forget)" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
expected "$tmp/exp.tsv" --dataset tiny --time $T
same_data "before forget" "$tmp/exp.tsv" "$db"
# The person with the most kinds of traces: member, likes, comments, reposts, posts.
kinds="(EXISTS (SELECT 1 FROM membership WHERE user_id = u.id))
     + (EXISTS (SELECT 1 FROM post_like WHERE user_id = u.id))
     + (EXISTS (SELECT 1 FROM comment WHERE from_id = u.id))
     + (EXISTS (SELECT 1 FROM repost WHERE repost_owner_id = u.id))
     + (EXISTS (SELECT 1 FROM post WHERE from_id = u.id OR signer_id = u.id OR copy_owner_id = u.id))"
read -r uid nkinds <<<"$(q -separator ' ' "SELECT u.id, $kinds FROM user u ORDER BY 2 DESC, u.id LIMIT 1")"
check "a person with traces of $nkinds kinds ($uid)" test "$nkinds" -ge 4
likes=$(q "SELECT count(*) FROM post_like WHERE user_id = $uid")
comments=$(q "SELECT count(*) FROM comment WHERE from_id = $uid")
total_comments=$(q "SELECT count(*) FROM comment")
authored=$(q "SELECT group_concat(owner_id || '_' || id) FROM post
    WHERE (from_id = $uid OR signer_id = $uid OR copy_owner_id = $uid) AND text <> ''")
texts_of() { q "SELECT count(*) FROM post WHERE text IS NOT NULL AND text <> ''
    AND instr(',$authored,', ',' || owner_id || '_' || id || ',')"; }
check "posts of theirs with text ($authored)" test "$(texts_of)" -ge 1
expect "forget" 0 "$VKPULSE" --config "$tmp/c.ini" forget "id$uid"
check "their posts' snippets went with them" test "$(texts_of)" -eq 0
out_has "forget reports the likes" " $likes likes"
out_has "forget reports the comments" "anonymised $comments comments"
refs=$(q "SELECT (SELECT count(*) FROM user WHERE id = $uid) + (SELECT count(*) FROM membership WHERE user_id = $uid)
    + (SELECT count(*) FROM member_stage WHERE user_id = $uid) + (SELECT count(*) FROM post_like WHERE user_id = $uid)
    + (SELECT count(*) FROM comment WHERE from_id = $uid) + (SELECT count(*) FROM repost WHERE repost_owner_id = $uid)
    + (SELECT count(*) FROM roster WHERE user_id = $uid)
    + (SELECT count(*) FROM post WHERE from_id = $uid OR signer_id = $uid OR copy_owner_id = $uid)")
check "no row names the person any more ($refs)" test "$refs" -eq 0
check "comments are kept, anonymised" test "$(q "SELECT count(*) FROM comment")" -eq "$total_comments"
check "the id is kept only in forgotten_user" test "$(q "SELECT count(*) FROM forgotten_user WHERE id = $uid")" -eq 1
check "integrity" test "$(q "PRAGMA integrity_check")" = ok
check "foreign keys hold" test -z "$(q "PRAGMA foreign_key_check")"

# without FILE-IN UID: the dump as it must be once the person is forgotten.
without() {
    awk -F'\t' -v OFS='\t' -v u="$2" '
        $1 == "member" && $3 == u { next }
        $1 == "user" && $2 == u { next }
        $1 == "like" && $4 == u { next }
        $1 == "repost" && $4 == u { next }
        $1 == "comment" && $5 == u { $5 = 0 }
        $1 == "post" { if ($4 == u) $4 = 0; if ($5 == u) $5 = 0; if ($8 == u) { $8 = 0; $9 = 0 } }
        { print }' "$1" | LC_ALL=C sort
}
without "$tmp/exp.tsv" "$uid" >"$tmp/exp-forgot.tsv"
same_data "after forget: the dataset without the person" "$tmp/exp-forgot.tsv" "$db"

# A week later, with every detail of every post read again: still left out.
T2=$((T + 7 * 86400))
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$T2" >/dev/null
expected "$tmp/exp2.tsv" --dataset tiny --time $T2
check "the person is still on VK" grep -q "^member	[0-9]*	$uid\$" "$tmp/exp2.tsv"
q "UPDATE post SET synced_likes = NULL, synced_comments = NULL, synced_reposts = NULL"
sed -i 's/^horizon_days = 3650$/horizon_days = 3650\nrefresh_days = 3650/' "$tmp/c.ini"
expect "collect after forget" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "a later collection brings their posts' snippets not back" test "$(texts_of)" -eq 0
without "$tmp/exp2.tsv" "$uid" >"$tmp/exp2-forgot.tsv"
same_data "a later collection leaves the person out" "$tmp/exp2-forgot.tsv" "$db"
expect "forget again" 0 "$VKPULSE" --config "$tmp/c.ini" forget "$uid"
out_has "forget again says so" "^forgot again user $uid: deleted 0 user row"
expect "forget: not an id" 2 "$VKPULSE" --config "$tmp/c.ini" forget abc
err_has "forget: says what an id is" 'not a VK user id'
expect "forget: a group id" 2 "$VKPULSE" --config "$tmp/c.ini" forget -200000001
echo "privacy: forgot user $uid ($likes likes, $comments comments anonymised), absent after a full re-read"
stop_fake

# ---- retention -------------------------------------------------------------------------
# The dataset's present is today (the purge counts back from the real clock).
NOW=$(date +%s)
ANCHOR2=$((NOW - NOW % 86400))
rm -f "$db"*
start_fake --dataset tiny --rps 20 --anchor $ANCHOR2 --time $NOW
write_config "$tmp/c.ini" 20
printf '[privacy]\nretention_months = 1\n' >>"$tmp/c.ini"
expect "retention longer than the refresh window is refused" 2 "$VKPULSE" --config "$tmp/c.ini" init
err_has "refusal names both keys" 'refresh_days \(30\) must be shorter than \[privacy\] retention_months \(1'
sed -i 's/^retention_months = 1$/retention_months = 6/' "$tmp/c.ini"
expect "init (retention)" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "collect (retention)" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "the run ends with the purge" 'retention 6 months: purged what was older than'
cut_text=$(sed -n 's/.*purged what was older than \([0-9-]* [0-9:]*\) UTC.*/\1/p' "$tmp/err")
cutoff=$(date -u -d "$cut_text" +%s)
check "cutoff about 6 months back ($cut_text)" test $((NOW - cutoff)) -ge $((181 * 86400)) -a $((NOW - cutoff)) -le $((185 * 86400))
expected "$tmp/exp3.tsv" --dataset tiny --anchor $ANCHOR2 --time $NOW
want=$(awk -F'\t' -v c="$cutoff" '$1 == "comment" && $7 >= c' "$tmp/exp3.tsv" | wc -l)
all=$(grep -c '^comment	' "$tmp/exp3.tsv")
have=$(q "SELECT count(*) FROM comment")
check "comments older than the cutoff purged ($have kept = $want of $all)" test "$have" -eq "$want" -a "$want" -lt "$all" -a "$want" -gt 0
want_r=$(awk -F'\t' -v c="$cutoff" '$1 == "repost" && $6 >= c' "$tmp/exp3.tsv" | wc -l)
check "reposts older than the cutoff purged ($(q "SELECT count(*) FROM repost") = $want_r)" \
    test "$(q "SELECT count(*) FROM repost")" -eq "$want_r"
expect "collect again (retention)" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "a later run brings nothing old back" \
    test "$(q "SELECT count(*) FROM comment WHERE date < $cutoff") $(q "SELECT count(*) FROM repost WHERE date < $cutoff")" = "0 0"
# Likes carry no date and counters are per run: age some as an old database would have them.
q "UPDATE post_like SET seen_at = seen_at - 200 * 86400 WHERE user_id % 3 = 0;
   UPDATE post_counter SET taken_at = taken_at - 200 * 86400 WHERE post_id % 2 = 0"
old_likes=$(q "SELECT count(*) FROM post_like WHERE seen_at < $cutoff")
all_likes=$(q "SELECT count(*) FROM post_like")
old_counters=$(q "SELECT count(*) FROM post_counter WHERE taken_at < $cutoff")
check "some likes and counters are old ($old_likes, $old_counters)" test "$old_likes" -gt 0 -a "$old_counters" -gt 0
expect "purge" 0 "$VKPULSE" --config "$tmp/c.ini" purge
err_has "purge reports likes and counters" " $old_likes likes, 0 comments, 0 reposts, $old_counters post counters"
check "old likes gone, the rest kept" test "$(q "SELECT count(*) FROM post_like")" -eq $((all_likes - old_likes))
check "no old counter left" test "$(q "SELECT count(*) FROM post_counter WHERE taken_at < $cutoff")" -eq 0
check "integrity after purge" test "$(q "PRAGMA integrity_check")" = ok
expect "purge --months 0 is refused" 2 "$VKPULSE" --config "$tmp/c.ini" purge --months 0
echo "privacy: retention 6 months purged $((all - want)) comments, $old_likes likes, $old_counters counters"
finish
