#!/usr/bin/env node
// collect.js: vkpulse's first collection done with vk-io, for bench/vkio.sh.
//
// It asks the VK API (here the project's fake server) for what `vkpulse collect --once`
// asks on a fresh database: the server's clock, the groups, their daily statistics, every
// member page with cities, every wall page, and for each post with likes, comments or
// reposts its like list, its comments (and the threads longer than what comes inline) and
// its listed reposts, with the methods, parameters and page offsets of
// collector/collect_methods.c. The calls go through vk-io's own queue the way a vk-io user
// would set it up: apiMode 'parallel' (every call packed into `execute`, up to
// apiExecuteCount = 25 a request) and apiLimit = the token's requests per second. Every
// call is made as soon as it is known (all member pages once the first page gives the
// count, all wall pages once the first gives it, a post's details as its page comes), so
// vk-io's batching has the most to pack.
//
// Usage: node collect.js --url http://127.0.0.1:PORT/method --rps 3 [options] GROUP...
//   --token-env NAME  the variable holding the token (default VKPULSE_TOKEN)
//   --timeout-ms N    vk-io's apiTimeout (default 300000, vkpulse's timeout = 300 in the
//                     bench's config; vk-io's own default is 10000)
//   --plain           page as a vk-io user would (member pages every 1000, wall pages
//                     every 100) instead of vkpulse's overlapping pages (980, 90)
//   --no-clock        skip utils.getServerTime (vkpulse asks it on a first run)
//   --no-stats        skip stats.get (vkpulse asks it once per group; the fake refuses it)
//   --out FILE        write what was fetched there, one JSON line per answer page
//                     (default: nothing is written)
// Prints a JSON summary on stdout (calls and failures by method, what was fetched);
// exit status 1 when a call failed other than stats.get's refusal, 2 on bad arguments.
'use strict';

const fs = require('fs');
const http = require('http');
const { API } = require('vk-io');

const MEMBERS_PAGE = 1000;
const MEMBERS_OVERLAP = 20; // collector/collect_int.h
const WALL_PAGE = 100;
const WALL_OVERLAP = 10;
const LIKES_PAGE = 1000;
const COMMENTS_PAGE = 100;
const REPOSTS_PAGE = 1000;
const STATS_FIRST_DAYS = 999;

function usage(msg) {
    process.stderr.write(`collect.js: ${msg}\n` +
        'usage: node collect.js --url URL --rps N [--token-env NAME] [--timeout-ms N] ' +
        '[--plain] [--no-clock] [--no-stats] [--out FILE] GROUP...\n');
    process.exit(2);
}

function parseArgs(argv) {
    const o = { tokenEnv: 'VKPULSE_TOKEN', timeout: 300000, plain: false, clock: true,
        stats: true, out: null, url: null, rps: null, groups: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const val = () => {
            if (i + 1 >= argv.length)
                usage(`${a} needs a value`);
            return argv[++i];
        };
        if (a === '--url') o.url = val();
        else if (a === '--rps') o.rps = Number(val());
        else if (a === '--token-env') o.tokenEnv = val();
        else if (a === '--timeout-ms') o.timeout = Number(val());
        else if (a === '--plain') o.plain = true;
        else if (a === '--no-clock') o.clock = false;
        else if (a === '--no-stats') o.stats = false;
        else if (a === '--out') o.out = val();
        else if (a.startsWith('--')) usage(`unknown option ${a}`);
        else o.groups.push(a);
    }
    if (!o.url) usage('--url is required');
    if (!(o.rps > 0)) usage('--rps must be a positive number');
    if (!(o.timeout > 0)) usage('--timeout-ms must be a positive number');
    if (o.groups.length === 0) usage('name at least one group');
    if (!process.env[o.tokenEnv]) usage(`no token in $${o.tokenEnv}`);
    return o;
}

const opt = parseArgs(process.argv.slice(2));

// The HTTP side as the client saw it: connections opened, the longest wait for an answer,
// and the stretches with no request in flight (the client waiting on itself or its pace).
const wire = { sockets: 0, sent: 0, longest_answer_s: 0, idle_s: 0, longest_idle_s: 0 };
let inFlight = 0, idleSince = process.hrtime.bigint();
const secsSince = t => Number(process.hrtime.bigint() - t) / 1e9;
class TracingAgent extends http.Agent {
    createConnection(...args) {
        wire.sockets++;
        return super.createConnection(...args);
    }
    addRequest(req, options) {
        const t = process.hrtime.bigint();
        wire.sent++;
        if (inFlight++ === 0) {
            const idle = secsSince(idleSince);
            wire.idle_s += idle;
            wire.longest_idle_s = Math.max(wire.longest_idle_s, idle);
        }
        const done = () => {
            if (req.vkioDone)
                return;
            req.vkioDone = true;
            wire.longest_answer_s = Math.max(wire.longest_answer_s, secsSince(t));
            if (--inFlight === 0)
                idleSince = process.hrtime.bigint();
        };
        req.once('response', done);
        req.once('close', done);
        return super.addRequest(req, options);
    }
}
const api = new API({
    token: process.env[opt.tokenEnv],
    apiBaseUrl: opt.url,
    apiVersion: '5.199',
    apiMode: 'parallel',
    apiExecuteCount: 25,
    apiLimit: opt.rps,
    apiTimeout: opt.timeout,
    // vk-io's default agent is https.globalAgent, which node-fetch refuses for an http://
    // URL ("Protocol "http:" not supported"): a plain-http agent for the local server.
    agent: new TracingAgent({ keepAlive: true }),
});
const out = opt.out ? fs.createWriteStream(opt.out) : null;

const tally = { calls: {}, failed: {}, fetched: { groups: 0, members: 0, with_city: 0,
    posts: 0, likes: 0, comments: 0, reposts: 0, stats_days: 0 } };
let hardFailures = 0;

function record(kind, key, answer) {
    if (out)
        out.write(JSON.stringify({ kind, key, answer }) + '\n');
}

// call METHOD PARAMS: the method through vk-io's queue; its answer, or null when it
// failed (counted by method and error code; stats.get's refusal is expected).
async function call(method, params) {
    tally.calls[method] = (tally.calls[method] || 0) + 1;
    const [section, name] = method.split('.');
    try {
        return await api[section][name](params);
    } catch (e) {
        const code = e && (e.code !== undefined ? e.code : e.error_code);
        const key = `${method} ${code}`;
        tally.failed[key] = (tally.failed[key] || 0) + 1;
        if (!(method === 'stats.get' && code === 15)) {
            hardFailures++;
            process.stderr.write(`collect.js: ${method} ${JSON.stringify(params)}: ` +
                `${e && e.message ? e.message : e}\n`);
        }
        return null;
    }
}

// The offsets of the pages after the first, as vkpulse asks them (or plain).
function memberOffsets(count) {
    const step = opt.plain ? MEMBERS_PAGE : MEMBERS_PAGE - MEMBERS_OVERLAP;
    const offs = [];
    for (let off = step; off < count; off += step)
        offs.push(off);
    return offs;
}

function wallOffsets(count) {
    const step = opt.plain ? WALL_PAGE : WALL_PAGE - WALL_OVERLAP;
    const offs = [];
    // vkpulse asks the next page while the last one did not reach the count.
    for (let off = 0; off + WALL_PAGE < count; off += step)
        offs.push(off + step);
    return offs;
}

async function membersPage(g, offset) {
    const r = await call('groups.getMembers', { group_id: g.id, offset, count: MEMBERS_PAGE,
        sort: 'id_asc', fields: 'city' });
    if (!r)
        return null;
    for (const u of r.items) {
        if (g.seen.has(u.id))
            continue; // the overlap of consecutive pages
        g.seen.add(u.id);
        tally.fetched.members++;
        if (u.city)
            tally.fetched.with_city++;
    }
    record('members', [g.id, offset], r);
    return r;
}

async function members(g) {
    g.seen = new Set();
    const first = await membersPage(g, 0);
    if (first)
        await Promise.all(memberOffsets(first.count).map(off => membersPage(g, off)));
}

async function likes(p) {
    const page = async offset => {
        const r = await call('likes.getList', { type: 'post', owner_id: p.owner_id,
            item_id: p.id, offset, count: LIKES_PAGE });
        if (r) {
            tally.fetched.likes += r.items.length;
            record('likes', [p.owner_id, p.id, offset], r);
        }
        return r;
    };
    const first = await page(0);
    const more = [];
    for (let off = LIKES_PAGE; first && off < first.count; off += LIKES_PAGE)
        more.push(page(off));
    await Promise.all(more);
}

// comments P [ROOT]: a post's top-level comments with up to 10 replies each inline, or
// the replies of thread ROOT; a thread longer than what came inline is read on its own.
async function comments(p, root) {
    const page = async offset => {
        const params = { owner_id: p.owner_id, post_id: p.id, offset, count: COMMENTS_PAGE,
            sort: 'asc', preview_length: 1 };
        if (root)
            params.comment_id = root;
        else
            params.thread_items_count = 10;
        const r = await call('wall.getComments', params);
        if (!r)
            return null;
        const threads = [];
        for (const c of r.items) {
            tally.fetched.comments++;
            const t = c.thread;
            const inline = t && t.items ? t.items.length : 0;
            if (!root && t && t.count > inline)
                threads.push(comments(p, c.id)); // its replies counted there
            else
                tally.fetched.comments += inline;
        }
        record('comments', [p.owner_id, p.id, root || 0, offset], r);
        await Promise.all(threads);
        return r;
    };
    const first = await page(0);
    if (!first)
        return;
    const level = first.current_level_count !== undefined ? first.current_level_count : first.count;
    const more = [];
    for (let off = COMMENTS_PAGE; off < level; off += COMMENTS_PAGE)
        more.push(page(off));
    await Promise.all(more);
}

async function reposts(p, offset = 0) {
    const r = await call('wall.getReposts', { owner_id: p.owner_id, post_id: p.id, offset,
        count: REPOSTS_PAGE });
    if (!r)
        return;
    tally.fetched.reposts += r.items.length;
    record('reposts', [p.owner_id, p.id, offset], r);
    if (r.items.length === REPOSTS_PAGE)
        await reposts(p, offset + REPOSTS_PAGE);
}

async function wall(g) {
    const seen = new Set(); // the overlap of consecutive pages is asked once
    const details = [];
    const page = async offset => {
        const r = await call('wall.get', { owner_id: -g.id, offset, count: WALL_PAGE,
            filter: 'all' });
        if (!r)
            return null;
        record('wall', [g.id, offset], r);
        for (const p of r.items) {
            if (seen.has(p.id))
                continue;
            seen.add(p.id);
            tally.fetched.posts++;
            if (p.likes && p.likes.count > 0)
                details.push(likes(p));
            if (p.comments && p.comments.count > 0)
                details.push(comments(p));
            if (p.reposts && p.reposts.count > 0)
                details.push(reposts(p));
        }
        return r;
    };
    const first = await page(0);
    if (first)
        await Promise.all(wallOffsets(first.count).map(page));
    await Promise.all(details);
}

async function stats(g) {
    const now = Math.floor(Date.now() / 1000);
    const r = await call('stats.get', { group_id: g.id, timestamp_from: now - STATS_FIRST_DAYS * 86400,
        timestamp_to: now, interval: 'day' });
    if (r) {
        tally.fetched.stats_days += r.length;
        record('stats', [g.id], r);
    }
}

async function main() {
    const t0 = process.hrtime.bigint();
    if (opt.clock)
        await call('utils.getServerTime', {});
    const r = await call('groups.getById', { group_ids: opt.groups.join(','),
        fields: 'members_count' });
    const groups = r ? (Array.isArray(r) ? r : r.groups) : [];
    tally.fetched.groups = groups.length;
    record('groups', [], r);
    await Promise.all(groups.map(g => Promise.all([opt.stats ? stats(g) : null, members(g), wall(g)])));
    tally.seconds = secsSince(t0);
    tally.wire = wire;
    if (out)
        await new Promise(resolve => out.end(resolve));
    process.stdout.write(JSON.stringify(tally) + '\n');
    process.exitCode = hardFailures || groups.length !== opt.groups.length ? 1 : 0;
    // The keep-alive agent holds the connections open: close them so that node exits.
    api.options.agent.destroy();
}

main().catch(e => {
    process.stderr.write(`collect.js: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
});
