/* metrics_people.c: distinct people: the network row of a week, the participation ladder
 * and the network view (members across communities, municipalities). */
#include "metrics.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "metrics_int.h"
#include "muni.h"
#include "store.h"
#include "store_analysis.h"
#include "store_report.h"

/* ---- people: members and actives gathered for the network figures ---------------------- */

int metrics_pvec_push(struct pvec *a, const struct person *p)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        if (cap > PVEC_MAX)
            return VKP_ETOOBIG;
        void *grown = realloc(a->v, cap * sizeof *a->v);
        if (!grown)
            return VKP_ENOMEM;
        a->v = grown;
        a->cap = cap;
    }
    a->v[a->n++] = *p;
    return 0;
}

int metrics_by_uid(const void *a, const void *b)
{
    const struct person *x = a, *y = b;
    if (x->uid != y->uid)
        return x->uid < y->uid ? -1 : 1;
    return x->com < y->com ? -1 : x->com > y->com;
}

int metrics_by_com_uid(const void *a, const void *b)
{
    const struct person *x = a, *y = b;
    if (x->com != y->com)
        return x->com < y->com ? -1 : 1;
    return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* ---- the network row: sums, and distinct people ------------------------------------------ */

void metrics_network_week(struct build *b, int wi)
{
    struct metric_week *tw = &b->r->total.weeks[wi];
    struct pvec *pv = &b->week_people;
    int64_t members = 0, active = 0, active_members = 0;
    int64_t active_lo = 0, active_hi = 0, am_lo = 0, am_hi = 0;
    enum metric_state ast = MS_OK, mst = MS_OK;
    size_t ncovered = 0, nmembers = 0;

    memset(tw, 0, sizeof *tw);
    tw->wk = b->r->weeks[wi];
    for (int m = 0; m < M_COUNT; m++) {
        size_t missing = 0;
        enum metric_state st = MS_OK;
        double sum = 0;
        if (metric_info((enum metric_id)m)->network != MNET_SUM) {
            tw->m[m].state = MS_MISSING;
            continue;
        }
        for (size_t c = 0; c < b->r->ncoms; c++) {
            const struct metric_value *v = &b->r->coms[c].weeks[wi].m[m];
            if (v->state == MS_MISSING) {
                missing++;
                continue;
            }
            sum += v->v;
            st = worse(st, v->state);
        }
        /* A network figure is the sum over every community or nothing: a sum
         * of some would jump when the others' figures begin (a history of
         * subscribers only where the token is an admin) and compare unlike
         * with unlike. */
        if (missing)
            st = MS_MISSING;
        set(tw, m, missing ? 0 : sum, st);
    }
    for (size_t c = 0; c < b->r->ncoms; c++) {
        const struct metric_week *cw = &b->r->coms[c].weeks[wi];
        tw->notes |= cw->notes;
        tw->own_posts += cw->own_posts; /* the ERpost and ERview means over every post */
        tw->er_view_sum += cw->er_view_sum;
        tw->er_view_posts += cw->er_view_posts;
        ncovered += cw->m[M_ACTIVE].state != MS_MISSING;
        nmembers += cw->m[M_ACTIVE_MEMBERS].state != MS_MISSING;
        ast = worse(ast, cw->m[M_ACTIVE].state == MS_MISSING ? MS_APPROX : cw->m[M_ACTIVE].state);
        mst =
            worse(mst, cw->m[M_ACTIVE_MEMBERS].state == MS_MISSING ? MS_APPROX
                                                                   : cw->m[M_ACTIVE_MEMBERS].state);
    }
    mst = worse(mst, ast);
    if (b->r->runs[wi].failed)
        tw->notes |= NOTE_RUNS_FAILED;
    if (b->r->runs[wi].partial)
        tw->notes |= NOTE_RUNS_PARTIAL;
    metrics_rates(tw);
    if (pv->n > 1) /* qsort(NULL, 0) is undefined */
        qsort(pv->v, pv->n, sizeof *pv->v, metrics_by_uid);
    for (size_t i = 0; i < pv->n;) {
        size_t j = i;
        unsigned flags = 0, active_member = 0, member_lo = 0, member_hi = 0;
        for (; j < pv->n && pv->v[j].uid == pv->v[i].uid; j++) {
            unsigned f = pv->v[j].flags;
            flags |= f;
            active_member |= (f & (P_ACTIVE | P_MEMBER)) == (P_ACTIVE | P_MEMBER);
            member_lo |= (f & (P_SURE | P_MEMBER)) == (P_SURE | P_MEMBER);
            member_hi |= (f & P_MAYBE) && (f & P_MEMBER);
        }
        members += (flags & P_MEMBER) != 0;
        active += (flags & P_ACTIVE) != 0;
        active_members += active_member != 0;
        active_lo += (flags & P_SURE) != 0;
        active_hi += (flags & P_MAYBE) != 0;
        am_lo += member_lo != 0;
        am_hi += member_hi != 0;
        i = j;
    }
    /* Periods before the first collection know who was active, not who was a member. */
    if (ncovered)
        set_bounded(tw, M_ACTIVE, active, active_lo, active_hi, ast);
    if (nmembers) {
        set_bounded(tw, M_ACTIVE_MEMBERS, active_members, am_lo, am_hi, mst);
        if (members > 0)
            set(tw, M_ACTIVE_SHARE, (double)active_members / (double)members, mst);
    }
}

/* ---- the participation ladder ------------------------------------------------------------ */

struct ladder_acc {
    struct build *b;
    struct pvec *out;
};

static int com_index(const struct report *r, int64_t id)
{
    for (size_t i = 0; i < r->ncoms; i++)
        if (r->coms[i].id == id)
            return (int)i;
    return -1;
}

static int on_participant(void *ud, const struct store_participant *p)
{
    struct ladder_acc *acc = ud;
    int ci = com_index(acc->b->r, p->community_id);
    struct person q = {.uid = p->user_id, .com = ci, .muni = 0};
    if (ci < 0 || (!p->member && !p->comments && !p->posts))
        return 0; /* likes and reposts alone are no rung of the ladder */
    q.flags = p->member ? P_MEMBER : 0;
    q.level = (uint8_t)(1 + (p->posts      ? LADDER_CONTRIBUTE
                             : p->comments ? LADDER_DISCUSS
                                           : LADDER_REGISTERED));
    return metrics_pvec_push(acc->out, &q);
}

/* How far the member list at the end of a period can be trusted. */
static int ladder_state(struct build *b, size_t ci, int64_t end, enum metric_state *out)
{
    struct store_report_snap s;
    int found, rc;
    rc = store_report_near_snapshot(b->st, b->r->coms[ci].id, end, b->o->slack, &s, &found);
    if (rc)
        return rc;
    /* Before the first collection nobody is a member yet in the database. */
    if (!b->info[ci].first_snapshot || b->info[ci].first_snapshot > end)
        *out = MS_MISSING;
    else if (!found || s.members_hidden)
        *out = MS_MISSING;
    else
        *out = s.members_ok ? MS_OK : MS_APPROX;
    return 0;
}

static void ladder_fill(struct metric_ladder *l, const struct pvec *pv, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const struct person *p = &pv->v[i];
        if (p->flags & P_MEMBER) {
            l->members++;
            l->level[p->level - 1]++;
        } else {
            l->outsiders++;
        }
    }
}

int metrics_ladders(struct build *b)
{
    struct report *r = b->r;
    int64_t from = r->weeks[0].start, to = r->week.end, prev_from;
    struct week pw;
    struct ladder_acc acc = {.b = b};
    int rc;

    if ((rc = week_shift(&r->weeks[0], -r->nweeks, &pw)) != 0)
        return rc;
    prev_from = pw.start;
    /* Members at the snapshots the window's subscriber figures are from (the last week's
     * end, the first week's start), so the ladder counts the same moment's members. */
    for (size_t ci = 0; ci < r->ncoms; ci++) {
        const struct metric_community *mc = &r->coms[ci];
        acc.out = &b->ladder_now;
        rc = store_each_participant(b->st, mc->id, from, to, mc->weeks[r->nweeks - 1].end_at,
                                    on_participant, &acc);
        if (rc == 0) {
            acc.out = &b->ladder_prev;
            rc = store_each_participant(b->st, mc->id, prev_from, from, mc->weeks[0].start_at,
                                        on_participant, &acc);
        }
        if (rc != 0)
            return rc;
    }
    if (b->ladder_now.n > 1) /* qsort(NULL, 0) is undefined */
        qsort(b->ladder_now.v, b->ladder_now.n, sizeof(struct person), metrics_by_com_uid);
    if (b->ladder_prev.n > 1)
        qsort(b->ladder_prev.v, b->ladder_prev.n, sizeof(struct person), metrics_by_com_uid);

    size_t i = 0, j = 0;
    for (size_t ci = 0; ci < r->ncoms; ci++) {
        struct metric_community *mc = &r->coms[ci];
        size_t i0 = i, j0 = j;
        while (i < b->ladder_now.n && b->ladder_now.v[i].com == (int32_t)ci)
            i++;
        while (j < b->ladder_prev.n && b->ladder_prev.v[j].com == (int32_t)ci)
            j++;
        if ((rc = ladder_state(b, ci, to, &mc->ladder.state)) != 0 ||
            (rc = ladder_state(b, ci, from, &mc->ladder_prev.state)) != 0)
            return rc;
        if (mc->ladder.state != MS_MISSING)
            ladder_fill(&mc->ladder, &b->ladder_now, i0, i);
        if (mc->ladder_prev.state != MS_MISSING)
            ladder_fill(&mc->ladder_prev, &b->ladder_prev, j0, j);
        mc->moves.state = worse(mc->ladder.state, mc->ladder_prev.state);
        if (mc->moves.state == MS_MISSING)
            continue;
        /* Both runs are sorted by user: walk them together. */
        size_t a = i0, c = j0;
        while (a < i || c < j) {
            const struct person *now = a < i ? &b->ladder_now.v[a] : NULL;
            const struct person *was = c < j ? &b->ladder_prev.v[c] : NULL;
            if (now && was && now->uid == was->uid) {
                a++, c++;
            } else if (now && (!was || now->uid < was->uid)) {
                was = NULL, a++;
            } else {
                now = NULL, c++;
            }
            int in_now = now && (now->flags & P_MEMBER), in_was = was && (was->flags & P_MEMBER);
            if (in_now && in_was)
                mc->moves.up += now->level > was->level, mc->moves.down += now->level < was->level,
                    mc->moves.same += now->level == was->level;
            else if (in_now)
                mc->moves.came++;
            else if (in_was)
                mc->moves.went++;
        }
    }
    return 0;
}

/* ---- the network view -------------------------------------------------------------------- */

int metrics_network_view(struct build *b)
{
    struct report *r = b->r;
    struct metric_network *net = &r->net;
    struct pvec *pv = &b->report_people;
    size_t n1 = r->ncoms + 1;
    struct pvec lad = {0};
    int rc = 0;

    net->ncom = r->ncoms;
    net->members_in = calloc(n1, sizeof *net->members_in);
    net->active_in = calloc(n1, sizeof *net->active_in);
    net->spread = calloc(n1 * n1, sizeof *net->spread);
    net->nmunis = b->o->munis ? muni_map_count(b->o->munis) : 0;
    net->munis = calloc(net->nmunis + 1, sizeof *net->munis);
    if (!net->members_in || !net->active_in || !net->spread || !net->munis)
        return VKP_ENOMEM;
    for (size_t i = 0; i < net->nmunis; i++)
        net->munis[i].muni = muni_map_at(b->o->munis, i);
    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_week *cw = &r->coms[c].weeks[r->nweeks - 1];
        if (cw->m[M_ACTIVE_MEMBERS].state == MS_MISSING)
            net->excluded++;
    }
    net->state = net->excluded == r->ncoms ? MS_MISSING : net->excluded ? MS_APPROX : MS_OK;

    /* The ladder run by user, for each member's highest rung. */
    lad = b->ladder_now;
    if (lad.n > 1) /* qsort(NULL, 0) is undefined */
        qsort(lad.v, lad.n, sizeof *lad.v, metrics_by_uid);
    if (pv->n > 1)
        qsort(pv->v, pv->n, sizeof *pv->v, metrics_by_uid);
    size_t li = 0;
    for (size_t i = 0; i < pv->n;) {
        size_t j = i, k = 0, a = 0;
        int32_t muni = MUNI_NO_CITY;
        int64_t uid = pv->v[i].uid;
        unsigned char mcom[256] = {0}, acom[256] = {0};
        for (; j < pv->n && pv->v[j].uid == uid; j++) {
            const struct person *p = &pv->v[j];
            size_t c = (size_t)p->com & 255;
            if ((p->flags & P_MEMBER) && !mcom[c])
                mcom[c] = 1, k++;
            if ((p->flags & P_ACTIVE) && !acom[c])
                acom[c] = 1, a++;
            if (p->muni != MUNI_NO_CITY)
                muni = p->muni;
        }
        i = j;
        if (k == 0 && a == 0)
            continue; /* only possibly active (a like dated across the week's edge) */
        if (k > r->ncoms)
            k = r->ncoms;
        if (a > r->ncoms)
            a = r->ncoms;
        net->active += a > 0;
        net->active_in[a]++;
        if (k == 0)
            continue;
        net->members++;
        net->members_in[k]++;
        net->spread[k * n1 + a]++;
        uint8_t level = 0;
        while (li < lad.n && lad.v[li].uid < uid)
            li++;
        for (size_t x = li; x < lad.n && lad.v[x].uid == uid; x++)
            if ((lad.v[x].flags & P_MEMBER) && lad.v[x].level > level)
                level = lad.v[x].level;
        if (muni == MUNI_NO_CITY) {
            net->no_city++;
        } else if (muni < 0 || (size_t)muni >= net->nmunis) {
            net->outside++;
        } else {
            struct metric_muni *m = &net->munis[muni];
            net->attributed++;
            m->members++;
            m->active += a > 0;
            m->discuss += level == 1 + LADDER_DISCUSS;
            m->contribute += level == 1 + LADDER_CONTRIBUTE;
        }
    }
    return rc;
}
