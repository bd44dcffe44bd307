#!/usr/bin/env python3
"""collect_check.py: crawls a running fakevk like a perfect collector and compares the result
with fakevk --dump-expected. It also checks that the counters agree with the lists.

Usage: collect_check.py PORT EXPECTED_FILE [--token T] [--groups N]
Talks to 127.0.0.1 only. Exits 0 when the crawl reproduces the expected file exactly.
"""
import argparse
import http.client
import json
import sys
import time
import urllib.parse
import urllib.request


class Client:
    def __init__(self, port, token):
        self.base = f"http://127.0.0.1:{port}/method/"
        self.token = token
        self.calls = 0
        self.faults = 0

    def call(self, method, **params):
        params.update(access_token=self.token, v="5.199")
        body = urllib.parse.urlencode(params).encode()
        answer = {"error": {"error_code": 0, "error_msg": "no answer"}}
        for _ in range(100):
            self.calls += 1
            try:
                with urllib.request.urlopen(self.base + method, body, timeout=30) as r:
                    answer = json.load(r)
            except (OSError, ValueError, http.client.HTTPException) as e:
                # Injected faults: HTTP 500, dropped connections, truncated bodies.
                self.faults += 1
                answer = {"error": {"error_code": 0, "error_msg": str(e)}}
                continue
            code = answer.get("error", {}).get("error_code")
            if code not in (6, 10):
                break
            self.faults += 1
            time.sleep(0.2 if code == 6 else 0.01)  # slow down, or just retry
        if "error" in answer:
            raise RuntimeError(f"{method} {params}: {answer['error']}")
        return answer["response"]

    def pages(self, method, page, **params):
        offset = 0
        while True:
            r = self.call(method, offset=offset, count=page, **params)
            items = r["items"]
            yield r, items
            offset += len(items)
            total = r.get("current_level_count", r.get("count"))
            if not items or (total is not None and offset >= total):
                return


def crawl(c, n_groups):
    lines = []
    problems = []
    ids = ",".join(str(200000001 + i) for i in range(n_groups))
    groups = c.call("groups.getById", group_ids=ids, fields="members_count")["groups"]
    users = {}
    for g in groups:
        gid = g["id"]
        lines.append(f"group\t{gid}\t{g['screen_name']}\t{g['members_count']}")
        n = 0
        for _, items in c.pages("groups.getMembers", 1000, group_id=gid, fields="city"):
            for u in items:
                lines.append(f"member\t{gid}\t{u['id']}")
                users[u["id"]] = (u.get("city", {}).get("id", 0), u.get("deactivated", "-"))
                n += 1
        if n != g["members_count"]:
            problems.append(f"group {gid}: members_count {g['members_count']} but {n} listed")
        owner = -gid
        posts = []
        for _, items in c.pages("wall.get", 100, owner_id=owner):
            posts += items
        for p in posts:
            copy = p.get("copy_history", [{}])[0]
            lines.append("post\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d" % (
                owner, p["id"], p["from_id"], p.get("signer_id", 0), p["date"],
                p.get("is_pinned", 0), copy.get("owner_id", 0), copy.get("id", 0)))
            pid = p["id"]
            likers = []
            if p["likes"]["count"]:
                for _, items in c.pages("likes.getList", 1000, type="post", owner_id=owner,
                                        item_id=pid):
                    likers += items
            if len(likers) != p["likes"]["count"]:
                problems.append(f"post {owner}_{pid}: likes.count {p['likes']['count']} "
                                f"but {len(likers)} likers")
            lines += [f"like\t{owner}\t{pid}\t{u}" for u in likers]
            n_comments = 0
            if p["comments"]["count"] and p["comments"]["can_post"]:
                for _, items in c.pages("wall.getComments", 100, owner_id=owner, post_id=pid,
                                        thread_items_count=10):
                    for cm in items:
                        replies = cm["thread"]["items"]
                        if cm["thread"]["count"] > len(replies):
                            replies = []
                            for _, more in c.pages("wall.getComments", 100, owner_id=owner,
                                                   post_id=pid, comment_id=cm["id"]):
                                replies += more
                        for x in [cm] + replies:
                            root = 0 if x is cm else cm["id"]
                            lines.append("comment\t%d\t%d\t%d\t%d\t%d\t%d\t%d" % (
                                owner, pid, x["id"], x["from_id"], root, x["date"],
                                1 if x.get("deleted") else 0))
                            n_comments += 1
                if n_comments != p["comments"]["count"]:
                    problems.append(f"post {owner}_{pid}: comments.count "
                                    f"{p['comments']['count']} but {n_comments} collected")
            listed = 0
            if p["reposts"]["count"]:
                offset = 0
                while True:
                    r = c.call("wall.getReposts", owner_id=owner, post_id=pid, offset=offset,
                               count=1000)
                    for rp in r["items"]:
                        ch = rp["copy_history"][0]
                        if (ch["owner_id"], ch["id"]) != (owner, pid):
                            problems.append(f"repost {rp['owner_id']}_{rp['id']} points at "
                                            f"{ch['owner_id']}_{ch['id']}")
                        lines.append("repost\t%d\t%d\t%d\t%d\t%d" % (
                            owner, pid, rp["owner_id"], rp["id"], rp["date"]))
                        listed += 1
                    offset += len(r["items"])
                    if len(r["items"]) < 1000:
                        break
            if listed != p["reposts"].get("wall_count", listed) or \
                    listed > p["reposts"]["count"]:
                problems.append(f"post {owner}_{pid}: reposts {p['reposts']} but {listed} listed")
    for uid, (city, deact) in users.items():
        lines.append(f"user\t{uid}\t{city}\t{deact}")
    return lines, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port")
    ap.add_argument("expected")
    ap.add_argument("--token", default="demo-token")
    ap.add_argument("--groups", type=int, default=0, help="number of groups (default: probe)")
    a = ap.parse_args()
    with open(a.expected, encoding="utf-8") as f:
        expected = f.read().splitlines()
    n_groups = a.groups or sum(1 for l in expected if l.startswith("group\t"))
    c = Client(a.port, a.token)
    got, problems = crawl(c, n_groups)
    got = sorted(set(got), key=lambda s: s.encode())
    for p in problems[:20]:
        print("collect_check:", p, file=sys.stderr)
    got_set, expected_set = set(got), set(expected)
    missing = [l for l in expected if l not in got_set]
    extra = [l for l in got if l not in expected_set]
    for l in missing[:10]:
        print("collect_check: missing", l, file=sys.stderr)
    for l in extra[:10]:
        print("collect_check: extra  ", l, file=sys.stderr)
    same = got == expected
    print(f"collect_check: {c.calls} calls ({c.faults} retried), {len(got)} records, expected {len(expected)}: "
          f"{'identical' if same else 'DIFFERENT'}; {len(problems)} counter problems")
    return 0 if same and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
