/* dump.c: --dump-expected: what a perfect collector would store at a given server time. */
#include "dump.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "tables.h"
#include "util.h"

/* All records as NUL-separated lines in one buffer, and where each starts. */
struct lines {
    struct buf text; /* the records, each followed by '\0' */
    size_t *off;     /* start of each record in text */
    size_t n;        /* records */
    size_t alloc;    /* entries allocated in off */
};

static int add_line(struct lines *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_line(struct lines *L, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return FV_EINVAL;
    if (L->n == L->alloc) {
        size_t na = L->alloc ? L->alloc * 2 : 4096;
        size_t *no = realloc(L->off, na * sizeof(*no));
        if (!no)
            return FV_ENOMEM;
        L->off = no;
        L->alloc = na;
    }
    L->off[L->n] = L->text.len;
    int rc = buf_append(&L->text, tmp, (size_t)n + 1);
    if (rc)
        return rc;
    L->n++;
    return 0;
}

static int cmp_lines(const void *a, const void *b, void *arg)
{
    const char *base = arg;
    /* strcmp compares as unsigned char: C-locale byte order. */
    return strcmp(base + *(const size_t *)a, base + *(const size_t *)b);
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

/* Counts of each record type, and the API calls a one-call-per-request collector needs. */
struct dump_counts {
    size_t groups, members, users, posts, likes, comments, reposts; /* records */
    int64_t calls; /* single API calls for a full collection */
};

int dump_expected(const struct dataset *ds, const struct methods_config *mc, int64_t t,
                  const char *path, FILE *summary)
{
    struct lines L;
    struct dump_counts k;
    uint8_t *seen = NULL;
    FILE *f = NULL;
    int rc = FV_ENOMEM;
    memset(&L, 0, sizeof(L));
    memset(&k, 0, sizeof(k));
    buf_init(&L.text, (size_t)1 << 34);
    seen = calloc(ds->n_users ? ds->n_users : 1, 1);
    if (!seen)
        goto fail;

    k.calls = 1; /* groups.getById for every group at once */
    for (size_t gi = 0; gi < ds->n_groups; gi++) {
        const struct ds_group *g = &ds->groups[gi];
        size_t current = ds_members_count(g, t);
        int hidden = methods_id_in(mc->hidden, mc->n_hidden, g->id);
        if ((rc = add_line(&L, "group\t%lld\t%s\t%zu", (long long)g->id, g->screen_name, current)))
            goto fail;
        k.groups++;
        k.calls += hidden ? 1 : (current ? ceil_div((int64_t)current, 1000) : 1);
        for (size_t i = 0; !hidden && i < g->n_members; i++) {
            const struct ds_member *m = &g->members[i];
            if (!ds_member_current(m, t))
                continue;
            if ((rc = add_line(&L, "member\t%lld\t%lld", (long long)g->id, (long long)m->user_id)))
                goto fail;
            k.members++;
            seen[m->user_id - DS_USER_ID_BASE] = 1;
        }
        size_t np = ds_posts_visible(g, t);
        k.calls += np ? ceil_div((int64_t)np, 100) : 1;
        for (size_t i = 0; i < np; i++) {
            const struct ds_post *p = &g->posts[i];
            long long o = (long long)p->owner_id, id = (long long)p->id;
            if ((rc = add_line(&L, "post\t%lld\t%lld\t%lld\t%lld\t%lld\t%d\t%lld\t%lld", o, id,
                               (long long)p->from_id, (long long)p->signer_id, (long long)p->date,
                               p->is_pinned, (long long)p->copy_owner_id,
                               (long long)p->copy_post_id)))
                goto fail;
            k.posts++;
            size_t nl = ds_likes_visible(p, t);
            k.calls += ceil_div((int64_t)nl, 1000);
            for (size_t j = 0; j < nl; j++) {
                if ((rc = add_line(&L, "like\t%lld\t%lld\t%lld", o, id,
                                   (long long)p->likes[j].user_id)))
                    goto fail;
                k.likes++;
            }
            size_t nt = ds_top_visible(p, t);
            if (p->comments_closed) {
                k.calls += nt ? 1 : 0; /* the collector sees a count, tries, gets error 212 */
                nt = 0;
            } else {
                k.calls += ceil_div((int64_t)nt, 100);
            }
            for (size_t j = 0; j < nt; j++) {
                const struct ds_comment *c = &p->top[j];
                size_t nr = ds_replies_visible(c, t);
                if (nr > 10)
                    k.calls += ceil_div((int64_t)nr, 100);
                for (size_t q = 0; q <= nr; q++) {
                    const struct ds_comment *x = q == 0 ? c : &c->replies[q - 1];
                    if ((rc = add_line(&L, "comment\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%d", o, id,
                                       (long long)x->id, x->deleted ? 0LL : (long long)x->from_id,
                                       q == 0 ? 0LL : (long long)c->id, (long long)x->date,
                                       x->deleted)))
                        goto fail;
                    k.comments++;
                }
            }
            size_t nrp = ds_reposts_visible(p, t);
            if (nrp + ds_mail_visible(p, t) > 0)
                k.calls += nrp ? ceil_div((int64_t)nrp, 1000) : 1;
            for (size_t j = 0; j < nrp; j++) {
                const struct ds_repost *r = &p->reposts[j];
                if ((rc = add_line(&L, "repost\t%lld\t%lld\t%lld\t%lld\t%lld", o, id,
                                   (long long)r->owner_id, (long long)r->post_id,
                                   (long long)r->date)))
                    goto fail;
                k.reposts++;
            }
        }
    }
    for (size_t i = 0; i < ds->n_users; i++) {
        if (!seen[i])
            continue;
        const struct ds_user *u = &ds->users[i];
        if ((rc = add_line(&L, "user\t%lld\t%lld\t%s", (long long)(DS_USER_ID_BASE + (int64_t)i),
                           u->city >= 0 ? (long long)geo_get()->cities[u->city].id : 0LL,
                           u->deact == DS_DELETED  ? "deleted"
                           : u->deact == DS_BANNED ? "banned"
                                                   : "-")))
            goto fail;
        k.users++;
    }

    qsort_r(L.off, L.n, sizeof(*L.off), cmp_lines, L.text.data);
    f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "fakevk: cannot write '%s': %s\n", path, strerror(errno));
        rc = FV_EIO;
        goto fail;
    }
    for (size_t i = 0; i < L.n; i++) {
        const char *line = L.text.data + L.off[i];
        if (fputs(line, f) == EOF || fputc('\n', f) == EOF)
            break;
    }
    if (ferror(f) | fclose(f)) {
        f = NULL;
        fprintf(stderr, "fakevk: cannot write '%s': %s\n", path, strerror(errno));
        rc = FV_EIO;
        goto fail;
    }
    f = NULL;
    fprintf(summary,
            "fakevk: expected at %lld: group %zu, member %zu, user %zu, post %zu, like %zu, "
            "comment %zu, repost %zu; a full collection needs about %lld API calls "
            "(%lld execute requests of 25)\n",
            (long long)t, k.groups, k.members, k.users, k.posts, k.likes, k.comments, k.reposts,
            (long long)k.calls, (long long)ceil_div(k.calls, 25));
    rc = 0;
fail:
    if (rc == FV_ENOMEM)
        fprintf(stderr, "fakevk: out of memory while dumping\n");
    if (f)
        fclose(f);
    free(seen);
    free(L.off);
    buf_release(&L.text);
    return rc;
}

int dump_directory(const char *path)
{
    const struct geo *g = geo_get();
    FILE *f = fopen(path, "w");
    if (!f)
        return FV_EIO;
    for (size_t i = 0; i < g->n_cities; i++) {
        const struct geo_city *c = &g->cities[i];
        fprintf(f, "city\t%lld\t%lld\t%s\t%s\t%s\n", (long long)c->id, (long long)c->region_id,
                c->municipality ? c->municipality : "-", c->title, c->area[0] ? c->area : "-");
    }
    return fclose(f) == 0 ? 0 : FV_EIO;
}

int dump_counters(const struct dataset *ds, int64_t t, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "fakevk: cannot write '%s': %s\n", path, strerror(errno));
        return FV_EIO;
    }
    for (size_t gi = 0; gi < ds->n_groups; gi++) {
        const struct ds_group *g = &ds->groups[gi];
        size_t np = ds_posts_visible(g, t);
        for (size_t i = 0; i < np; i++) {
            const struct ds_post *p = &g->posts[i];
            /* The same counters the posts' JSON carries (methods.c). */
            fprintf(f, "counter\t%lld\t%lld\t%lld\t%zu\t%zu\t%zu\t%s\n", (long long)p->owner_id,
                    (long long)p->id, (long long)ds_views(p, t), ds_likes_visible(p, t),
                    ds_comments_total(p, t), ds_reposts_visible(p, t) + ds_mail_visible(p, t),
                    tables_post_texts[p->text % tables_n_post_texts]);
            /* When each like was made: VK never says, the truth for dating likes does. */
            for (size_t k = 0, nl = ds_likes_visible(p, t); k < nl; k++)
                fprintf(f, "liked\t%lld\t%lld\t%lld\t%lld\n", (long long)p->owner_id,
                        (long long)p->id, (long long)p->likes[k].user_id,
                        (long long)p->likes[k].date);
        }
    }
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "fakevk: cannot write '%s': %s\n", path, strerror(errno));
        return FV_EIO;
    }
    return 0;
}
