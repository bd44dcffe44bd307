/* service.c: the always-on service's work between collection runs: alerts, deliveries, the week. */
#include "service.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "alerts.h"
#include "config.h"
#include "deliver.h"
#include "err.h"
#include "labels.h"
#include "log.h"
#include "metrics.h"
#include "muni.h"
#include "outfile.h"
#include "render.h"
#include "store.h"
#include "store_report.h"
#include "week.h"

#define DAY 86400

/* ---- schedule ------------------------------------------------------------------------------ */

/* Local midnight of the Monday of the week holding t, `weeks` weeks later. */
static int64_t monday_of(int64_t t, int weeks)
{
    struct week w, shifted;
    if (week_of(t, &w) != 0 || week_shift(&w, weeks, &shifted) != 0)
        return -1;
    return shifted.start;
}

/* This week's scheduled instant (local report_weekday at report_hour), or -1 when off. */
static int64_t scheduled_in_week(const struct config *cfg, int64_t monday)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    time_t tt = (time_t)monday;
    struct tm tm;

    if (monday < 0)
        return -1;
    for (int d = 0; d < 7; d++) {
        if (strcmp(cfg->report_weekday, days[d]) != 0)
            continue;
        localtime_r(&tt, &tm);
        tm.tm_mday += d;
        tm.tm_hour = cfg->report_hour;
        tm.tm_min = tm.tm_sec = 0;
        tm.tm_isdst = -1;
        return (int64_t)mktime(&tm);
    }
    return -1;
}

int service_digest_due(const struct config *cfg, int64_t now, char *week, size_t weeklen,
                       int64_t *week_start)
{
    int64_t at = scheduled_in_week(cfg, monday_of(now, 0));
    struct week w, last;

    if (at < 0 || now < at || week_of(now, &w) != 0 || week_shift(&w, -1, &last) != 0)
        return 0;
    *week_start = last.start;
    week_format(&last, week, weeklen);
    return 1;
}

int service_next_wake(const struct config *cfg, int64_t now, int interval)
{
    int64_t at = scheduled_in_week(cfg, monday_of(now, 0));
    int64_t wait = interval;

    if (at >= 0 && at <= now)
        at = scheduled_in_week(cfg, monday_of(now, 1));
    if (at > now && at - now < wait)
        wait = at - now;
    return wait < 1 ? 1 : (int)wait;
}

/* ---- the weekly report ------------------------------------------------------------------ */

/*
 * report_write_files: write the weekly report of the week starting at
 * week_start (local Monday 00:00) as HTML and CSV into [service] report_dir
 * (created if missing; shared with report_group when set), list the files
 * written in `files` and the HTML file's path in `html`.
 */
static int report_write_files(struct store *st, const struct config *cfg, int64_t week_start,
                              const char *week, char *files, size_t fileslen, char *html,
                              size_t htmllen, char *err, size_t errlen)
{
    static const enum render_format formats[] = {RENDER_HTML, RENDER_CSV};
    static const char *const ext[] = {"html", "csv"};
    struct report_options o;
    struct render_options ro = {lang_default(cfg->lang), ';'};
    struct muni_map *munis = NULL;
    struct report *r = NULL;
    const char *dir = cfg->report_dir;
    struct group *g = cfg->report_group[0] ? getgrnam(cfg->report_group) : NULL;
    char path[4096];
    int rc;

    files[0] = html[0] = '\0';
    memset(&o, 0, sizeof o);
    if (cfg->report_group[0] && !g) {
        snprintf(err, errlen, "[service] report_group '%s' no longer exists", cfg->report_group);
        return VKP_ECONFIG;
    }
    outfile_share(g ? g->gr_gid : (gid_t)-1);
    if ((rc = outfile_mkdir(dir, err, errlen)) != 0)
        goto out;
    if ((rc = report_options_config(&o, cfg, &munis, err, errlen)) != 0)
        goto out;
    o.now = (int64_t)time(NULL);
    if ((rc = week_of(week_start, &o.week)) != 0) {
        snprintf(err, errlen, "cannot tell the week of %" PRId64, week_start);
        goto out;
    }
    if ((rc = report_build(st, &o, &r, err, errlen)) != 0)
        goto out;
    for (int i = 0; i < 2 && rc == 0; i++) {
        snprintf(path, sizeof path, "%s/vkpulse-%s.%s", dir, week, ext[i]);
        rc = render_report_file(r, formats[i], &ro, path, err, errlen);
        size_t used = strlen(files);
        if (rc == 0 && used + strlen(path) + 3 < fileslen)
            sprintf(files + used, "%s%s", i ? ", " : "", path);
        if (rc == 0 && formats[i] == RENDER_HTML)
            snprintf(html, htmllen, "%s", path);
    }
out:
    outfile_share((gid_t)-1);
    report_free(r);
    muni_map_free(munis);
    return rc;
}

/* Where the digest points to the HTML report: [service] report_url and the
 * file's name, "" when the reports are not published. */
static void report_link(const struct config *cfg, const char *html, char *out, size_t len)
{
    const char *name = strrchr(html, '/');
    size_t n = strlen(cfg->report_url);

    out[0] = '\0';
    if (!n || !html[0])
        return;
    snprintf(out, len, "%s%s%s", cfg->report_url, cfg->report_url[n - 1] == '/' ? "" : "/",
             name ? name + 1 : html);
}

/* One community's week, for the digest. */
struct digest_row {
    char ref[128];
    char name[256];
    int64_t members;      /* newest count up to the week's end, -1 unknown */
    int64_t members_diff; /* against the count at the week's start (0 when unknown) */
    int64_t posts;        /* posts dated in the week */
    int64_t interactions; /* comments, reposts and new likes in the week */
    int64_t active;       /* active people, as the report counts them (store_report_actives) */
};

/* What the digest says, in every language. */
struct digest {
    const char *week;
    int64_t week_start;
    struct digest_row *rows;
    size_t nrows;
    char **alerts[2]; /* texts of the open alerts: [0] ru, [1] en */
    size_t nalerts;
    const char *files; /* written report files, "" if none */
    const char *html;  /* the HTML report's path (the email channel attaches it), "" if none */
    const char *link;  /* its address under [service] report_url, "" when unset */
    const char *note;  /* why there are none */
    struct store *st;  /* for the walks below */
    int rc;            /* first error of a walk */
};

static int on_digest_community(void *ud, const struct store_alert_facts *f)
{
    struct digest *d = ud;
    int64_t end = d->week_start + 7 * DAY, t, c0, c1;
    struct digest_row *row;
    int rc;

    void *grown = realloc(d->rows, (d->nrows + 1) * sizeof *d->rows);
    if (!grown)
        return VKP_ENOMEM;
    d->rows = grown;
    row = &d->rows[d->nrows++];
    memset(row, 0, sizeof *row);
    snprintf(row->ref, sizeof row->ref, "%s", f->ref);
    snprintf(row->name, sizeof row->name, "%s", f->name ? f->name : f->ref);
    if ((rc = store_members_at(d->st, f->community_id, 0, end, end, &t, &c1)) != 0)
        return rc;
    row->members = t ? c1 : -1;
    if ((rc = store_members_at(d->st, f->community_id, 0, d->week_start, d->week_start, &t, &c0)) !=
        0)
        return rc;
    row->members_diff = t && row->members >= 0 ? c1 - c0 : 0;
    if ((rc = store_posts_between(d->st, f->community_id, d->week_start, end, &row->posts)) != 0)
        return rc;
    if ((rc = store_interactions(d->st, f->community_id, d->week_start, end, f->first_wall_at,
                                 &row->interactions)) != 0)
        return rc;
    /* Likes count from the first complete wall read on: those it found are undated. */
    return store_report_active_count(
        d->st, f->community_id, d->week_start, end,
        f->first_wall_at > d->week_start ? f->first_wall_at : d->week_start, end, &row->active);
}

static void on_digest_alert(void *ud, const struct alert_item *it)
{
    struct digest *d = ud;
    char text[768];
    if (d->rc)
        return;
    for (int l = 0; l < 2; l++) {
        char **grown = realloc(d->alerts[l], (d->nalerts + 1) * sizeof *grown);
        if (!grown) {
            d->rc = VKP_ENOMEM;
            return;
        }
        d->alerts[l] = grown;
        grown[d->nalerts] = strdup(alert_text(it, l ? "en" : "ru", text, sizeof text));
        if (!grown[d->nalerts]) {
            d->rc = VKP_ENOMEM;
            return;
        }
    }
    d->nalerts++;
}

static void digest_release(struct digest *d)
{
    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < d->nalerts; i++)
            free(d->alerts[l] ? d->alerts[l][i] : NULL);
        free(d->alerts[l]);
    }
    free(d->rows);
}

/* The digest payload (the same envelope as an alert's, event "digest") in lang. */
static char *digest_payload(void *ud, const char *lang)
{
    const struct digest *d = ud;
    int en = strcmp(lang, "en") == 0;
    char title[128], from[32], *text = NULL, *out = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    cJSON *o = NULL, *arr;

    if (!f)
        return NULL;
    snprintf(title, sizeof title, en ? "vkpulse: week %s" : "vkpulse: неделя %s", d->week);
    alerts_format_time(d->week_start, 0, from, sizeof from);
    fprintf(f, en ? "Week %s (from %.10s):\n" : "Неделя %s (с %.10s):\n", d->week, from);
    for (size_t i = 0; i < d->nrows; i++) {
        const struct digest_row *r = &d->rows[i];
        if (r->members >= 0)
            fprintf(f,
                    en ? "«%s»: %" PRId64 " members (%+" PRId64 "), "
                       : "«%s»: подписчиков %" PRId64 " (%+" PRId64 "), ",
                    r->name, r->members, r->members_diff);
        else
            fprintf(f, "«%s»: ", r->name);
        fprintf(f,
                en ? "%" PRId64 " posts, %" PRId64 " interactions, %" PRId64 " active people\n"
                   : "публикаций %" PRId64 ", взаимодействий %" PRId64 ", активных людей %" PRId64
                     "\n",
                r->posts, r->interactions, r->active);
    }
    fprintf(f, en ? "Active alerts: %zu\n" : "Активных тревог: %zu\n", d->nalerts);
    for (size_t i = 0; i < d->nalerts; i++)
        fprintf(f, "- %s\n", d->alerts[en][i]);
    if (d->link[0])
        fprintf(f, en ? "Report: %s" : "Отчёт: %s", d->link);
    else if (d->files[0])
        fprintf(f, en ? "Report: %s" : "Отчёт: %s", d->files);
    else
        fprintf(f, en ? "No report files: %s" : "Файлы отчёта не созданы: %s", d->note);
    fclose(f);
    if (!text)
        return NULL;
    if (!(o = cJSON_CreateObject()))
        goto out;
    cJSON_AddStringToObject(o, "source", "vkpulse");
    cJSON_AddNumberToObject(o, "version", 1);
    cJSON_AddStringToObject(o, "event", "digest");
    cJSON_AddStringToObject(o, "lang", en ? "en" : "ru");
    cJSON_AddStringToObject(o, "title", title);
    cJSON_AddStringToObject(o, "text", text);
    cJSON_AddStringToObject(o, "week", d->week);
    if ((arr = cJSON_AddArrayToObject(o, "communities")) != NULL) {
        for (size_t i = 0; i < d->nrows; i++) {
            cJSON *c = cJSON_CreateObject();
            cJSON_AddStringToObject(c, "ref", d->rows[i].ref);
            cJSON_AddStringToObject(c, "name", d->rows[i].name);
            if (d->rows[i].members >= 0) {
                cJSON_AddNumberToObject(c, "members", (double)d->rows[i].members);
                cJSON_AddNumberToObject(c, "members_change", (double)d->rows[i].members_diff);
            } else {
                cJSON_AddNullToObject(c, "members");
                cJSON_AddNullToObject(c, "members_change");
            }
            cJSON_AddNumberToObject(c, "posts", (double)d->rows[i].posts);
            cJSON_AddNumberToObject(c, "interactions", (double)d->rows[i].interactions);
            cJSON_AddNumberToObject(c, "active_people", (double)d->rows[i].active);
            cJSON_AddItemToArray(arr, c);
        }
    }
    cJSON_AddNumberToObject(o, "active_alerts", (double)d->nalerts);
    if (d->files[0])
        cJSON_AddStringToObject(o, "report_files", d->files);
    else
        cJSON_AddNullToObject(o, "report_files");
    if (d->html[0])
        cJSON_AddStringToObject(o, "report_html", d->html);
    if (d->link[0])
        cJSON_AddStringToObject(o, "report_link", d->link);
    out = cJSON_PrintUnformatted(o);
out:
    cJSON_Delete(o);
    free(text);
    return out;
}

int service_weekly(struct store *st, const struct config *cfg, int64_t now, int *made, char *err,
                   size_t errlen)
{
    char week[16], files[1024] = "", note[256] = "", html[4096] = "", link[4352] = "";
    struct digest d = {0};
    int64_t week_start, queued = 0;
    int done = 0, rc;

    *made = 0;
    if (!service_digest_due(cfg, now, week, sizeof week, &week_start))
        return 0;
    if ((rc = store_digest_made(st, week, &done)) != 0 || done)
        goto out;
    rc = report_write_files(st, cfg, week_start, week, files, sizeof files, html, sizeof html, note,
                            sizeof note);
    if (rc == VKP_ENOTIMPL)
        log_info("weekly report %s: %s; the digest goes out without it", week, note);
    else if (rc != 0)
        log_warn("weekly report %s was not written: %s", week, note);
    rc = 0;
    report_link(cfg, html, link, sizeof link);
    d.week = week;
    d.week_start = week_start;
    d.files = files;
    d.html = html;
    d.link = link;
    d.note = note;
    d.st = st;
    if ((rc = store_begin(st)) != 0)
        goto out;
    if ((rc = store_each_alert_facts(st, on_digest_community, &d)) != 0 ||
        (rc = alerts_each_open(st, on_digest_alert, &d)) != 0 || (rc = d.rc) != 0 ||
        (rc = deliver_queue(st, cfg, "digest", 0, digest_payload, &d, now, &queued)) != 0 ||
        (rc = store_digest_record(st, week, now, files[0] ? files : note)) != 0 ||
        (rc = store_commit(st)) != 0) {
        store_rollback(st);
        goto out;
    }
    *made = 1;
    log_info("weekly digest %s queued for %" PRId64 " channel(s)", week, queued);
out:
    if (rc != 0)
        snprintf(err, errlen, "weekly digest: %s",
                 rc == VKP_ENOMEM ? "out of memory" : store_errmsg(st));
    digest_release(&d);
    return rc;
}

/* ---- after each run ----------------------------------------------------------------------- */

int service_after_run(struct store *st, const struct config *cfg, int64_t now)
{
    struct alert_report r;
    struct deliver_stats ds;
    char err[1024], text[768];
    int made, rc, first = 0;

    rc = alerts_evaluate(st, cfg, now, &r, err, sizeof err);
    if (rc != 0) {
        log_error("%s", err);
        first = rc;
    } else {
        for (size_t i = 0; i < r.nitems; i++) {
            const struct alert_item *it = &r.items[i];
            if (it->change == ALERT_STARTED)
                log_warn("alert %s: %s", alert_rule_name(it->rule),
                         alert_text(it, cfg->lang, text, sizeof text));
            else if (it->change == ALERT_ENDED)
                log_info("alert over %s: %s", alert_rule_name(it->rule),
                         alert_text(it, cfg->lang, text, sizeof text));
        }
        alert_report_release(&r);
    }
    if ((rc = service_weekly(st, cfg, now, &made, err, sizeof err)) != 0) {
        log_error("%s", err);
        first = first ? first : rc;
    }
    if ((rc = deliver_pending(st, cfg, now, NULL, &ds)) != 0) {
        log_error("cannot deliver alerts: %s", store_errmsg(st));
        first = first ? first : rc;
    } else if (ds.sent || ds.failed) {
        log_info("deliveries: %d sent, %d failed and kept for a retry", ds.sent, ds.failed);
    }
    return first;
}
