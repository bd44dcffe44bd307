/* weekly.c: the service's weekly work: its schedule, the report files and the digest. */
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
#include "fmt.h"
#include "labels.h"
#include "lang.h"
#include "log.h"
#include "metrics.h"
#include "muni.h"
#include "outfile.h"
#include "render.h"
#include "store.h"
#include "store_alerts.h"
#include "text.h"
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
 * weekly_report: build the weekly report of the week starting at week_start
 * (local Monday 00:00) with the config's options: the one report whose files
 * are written and whose figures the digest announces. The report points into
 * *munis (the municipality map): the caller frees it after the report.
 */
static int weekly_report(struct store *st, const struct config *cfg, int64_t week_start,
                         int64_t now, struct report **r, struct muni_map **munis, char *err,
                         size_t errlen)
{
    struct report_options o;
    int rc;

    memset(&o, 0, sizeof o);
    *r = NULL;
    if ((rc = report_options_config(&o, cfg, munis, err, errlen)) != 0)
        return rc;
    o.now = now;
    if ((rc = week_of(week_start, &o.week)) != 0)
        snprintf(err, errlen, "cannot tell the week of %" PRId64, week_start);
    else
        rc = report_build(st, &o, r, err, errlen);
    return rc;
}

/* report_write_files: write the report as HTML and CSV into dir (created if
 * missing; shared with [service] report_group when set), list the files
 * written in `files` and the HTML file's path in `html`. */
static int report_write_files(const struct report *r, const struct config *cfg, const char *week,
                              const char *dir, char *files, size_t fileslen, char *html,
                              size_t htmllen, char *err, size_t errlen)
{
    static const enum render_format formats[] = {RENDER_HTML, RENDER_CSV};
    static const char *const ext[] = {"html", "csv"};
    struct render_options ro = {.lang = lang_default(cfg->lang), .csv_sep = ';'};
    struct group *g = cfg->report_group[0] ? getgrnam(cfg->report_group) : NULL;
    char path[4096];
    int rc = 0;

    files[0] = html[0] = '\0';
    if (cfg->report_group[0] && !g) {
        snprintf(err, errlen, "[service] report_group '%s' no longer exists", cfg->report_group);
        return VKP_ECONFIG;
    }
    outfile_share(g ? g->gr_gid : (gid_t)-1);
    if ((rc = outfile_mkdir(dir, err, errlen)) != 0)
        goto out;
    for (int i = 0; i < 2 && rc == 0; i++) {
        snprintf(path, sizeof path, "%s/vkpulse-%s.%s", dir, week, ext[i]);
        rc = render_report_file(r, formats[i], &ro, path, err, errlen);
        size_t used = strlen(files);
        if (rc == 0 && used + strlen(path) + 3 < fileslen)
            sprintf(files + used, "%s%s", i ? ", " : "", path);
        if (rc == 0 && formats[i] == RENDER_HTML)
            text_copy(html, htmllen, path);
    }
out:
    outfile_share((gid_t)-1);
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

/* One community's week, for the digest: the report's figures of that week
 * (metrics.h), so the digest never says other numbers than the report. */
struct digest_row {
    char ref[128];
    char name[256];
    struct metric_value members;      /* M_SUBS_END */
    struct metric_value members_diff; /* M_NET: unknown without both boundary counts */
    struct metric_value posts;        /* M_POSTS */
    struct metric_value interactions; /* metric_interactions */
    struct metric_value active;       /* M_ACTIVE */
};

/* What the digest says, in every language. */
struct digest {
    const char *week;
    int64_t week_start;
    struct digest_row *rows;
    size_t nrows;
    char **alerts[LANG_COUNT]; /* texts of the open alerts, by enum lang */
    size_t nalerts;
    const char *files; /* written report files, "" if none */
    const char *html;  /* the HTML report's path (the email channel attaches it), "" if none */
    const char *link;  /* its address under [service] report_url, "" when unset */
    const char *note;  /* why there are none */
    int rc;            /* first error of a walk */
};

/* The digest's rows: the configured communities of the report, with its report week's figures. */
static int digest_rows(struct digest *d, const struct report *r)
{
    if (!r)
        return 0;
    d->rows = calloc(r->ncoms + 1, sizeof *d->rows);
    if (!d->rows)
        return VKP_ENOMEM;
    for (size_t i = 0; i < r->ncoms; i++) {
        const struct metric_community *mc = &r->coms[i];
        const struct metric_week *w = &mc->weeks[r->nweeks - 1];
        struct digest_row *row = &d->rows[d->nrows];
        if (!mc->active)
            continue; /* the digest is about what is collected now */
        d->nrows++;
        text_copy(row->ref, sizeof row->ref, mc->ref);
        text_copy(row->name, sizeof row->name, mc->name ? mc->name : mc->ref);
        row->members = w->m[M_SUBS_END];
        row->members_diff = w->m[M_NET];
        row->posts = w->m[M_POSTS];
        row->interactions = metric_interactions(w);
        row->active = w->m[M_ACTIVE];
    }
    return 0;
}

/* The digest's words, by enum lang. */
enum digest_word {
    DW_TITLE,   /* "%s": the week */
    DW_WEEK,    /* "%s", "%.10s": the week, its first day */
    DW_MEMBERS, /* "%s": the community */
    DW_POSTS,   /* the figures that follow */
    DW_INTERACTIONS,
    DW_ACTIVE,
    DW_NA,       /* a figure the report cannot give */
    DW_ALERTS,   /* "%zu" */
    DW_REPORT,   /* "%s": the link or the files */
    DW_NO_FILES, /* "%s": why */
    DW_COUNT
};

static const char *const digest_words[DW_COUNT][LANG_COUNT] = {
    [DW_TITLE] = {[LANG_RU] = "vkpulse: неделя %s", [LANG_EN] = "vkpulse: week %s"},
    [DW_WEEK] = {[LANG_RU] = "Неделя %s (с %.10s):\n", [LANG_EN] = "Week %s (from %.10s):\n"},
    [DW_MEMBERS] = {[LANG_RU] = "«%s»: подписчиков ", [LANG_EN] = "«%s»: members "},
    [DW_POSTS] = {[LANG_RU] = ", публикаций ", [LANG_EN] = ", posts "},
    [DW_INTERACTIONS] = {[LANG_RU] = ", взаимодействий ", [LANG_EN] = ", interactions "},
    [DW_ACTIVE] = {[LANG_RU] = ", активных людей ", [LANG_EN] = ", active people "},
    [DW_NA] = {[LANG_RU] = "н/д", [LANG_EN] = "n/a"},
    [DW_ALERTS] = {[LANG_RU] = "Активных тревог: %zu\n", [LANG_EN] = "Active alerts: %zu\n"},
    [DW_REPORT] = {[LANG_RU] = "Отчёт: %s", [LANG_EN] = "Report: %s"},
    [DW_NO_FILES] = {[LANG_RU] = "Файлы отчёта не созданы: %s", [LANG_EN] = "No report files: %s"},
};

/* A figure of the digest's text: "n/a" (ru "н/д") when unknown, never 0. */
static void put_figure(FILE *f, struct metric_value v, int sign, enum lang l)
{
    if (v.state == MS_MISSING)
        fputs(digest_words[DW_NA][l], f);
    else /* grouped as the report writes it: "1 478", "+12", "−3" */
        fprintf(f, "%s%s", sign && v.v > 0 ? "+" : "", FMT_INT(l, (int64_t)v.v));
}

static void json_figure(cJSON *o, const char *key, struct metric_value v)
{
    if (v.state == MS_MISSING)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, v.v);
}

static void on_digest_alert(void *ud, const struct alert_item *it)
{
    struct digest *d = ud;
    char text[768];
    if (d->rc)
        return;
    for (int l = 0; l < LANG_COUNT; l++) {
        char **grown = realloc(d->alerts[l], (d->nalerts + 1) * sizeof *grown);
        if (!grown) {
            d->rc = VKP_ENOMEM;
            return;
        }
        d->alerts[l] = grown;
        grown[d->nalerts] = strdup(alert_text(it, lang_code((enum lang)l), text, sizeof text));
        if (!grown[d->nalerts]) {
            d->rc = VKP_ENOMEM;
            return;
        }
    }
    d->nalerts++;
}

static void digest_release(struct digest *d)
{
    for (int l = 0; l < LANG_COUNT; l++) {
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
    enum lang l = LANG_RU;
    char title[128], from[32], *text = NULL, *out = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    cJSON *o = NULL, *arr;

    if (!f)
        return NULL;
    lang_parse(lang, &l);
    snprintf(title, sizeof title, digest_words[DW_TITLE][l], d->week);
    alerts_format_time(d->week_start, lang, from, sizeof from);
    fprintf(f, digest_words[DW_WEEK][l], d->week, from);
    for (size_t i = 0; i < d->nrows; i++) {
        const struct digest_row *r = &d->rows[i];
        fprintf(f, digest_words[DW_MEMBERS][l], r->name);
        put_figure(f, r->members, 0, l);
        if (r->members.state != MS_MISSING && r->members_diff.state != MS_MISSING) {
            fputs(" (", f);
            put_figure(f, r->members_diff, 1, l);
            fputs(")", f);
        }
        fputs(digest_words[DW_POSTS][l], f);
        put_figure(f, r->posts, 0, l);
        fputs(digest_words[DW_INTERACTIONS][l], f);
        put_figure(f, r->interactions, 0, l);
        fputs(digest_words[DW_ACTIVE][l], f);
        put_figure(f, r->active, 0, l);
        fputs("\n", f);
    }
    fprintf(f, digest_words[DW_ALERTS][l], d->nalerts);
    for (size_t i = 0; i < d->nalerts; i++)
        fprintf(f, "- %s\n", d->alerts[l][i]);
    if (d->link[0] || d->files[0])
        fprintf(f, digest_words[DW_REPORT][l], d->link[0] ? d->link : d->files);
    else
        fprintf(f, digest_words[DW_NO_FILES][l], d->note);
    fclose(f);
    if (!text)
        return NULL;
    if (!(o = cJSON_CreateObject()))
        goto out;
    cJSON_AddStringToObject(o, "source", "vkpulse");
    cJSON_AddNumberToObject(o, "version", 1);
    cJSON_AddStringToObject(o, "event", "digest");
    cJSON_AddStringToObject(o, "lang", lang_code(l));
    cJSON_AddStringToObject(o, "title", title);
    cJSON_AddStringToObject(o, "text", text);
    cJSON_AddStringToObject(o, "week", d->week);
    if ((arr = cJSON_AddArrayToObject(o, "communities")) != NULL) {
        for (size_t i = 0; i < d->nrows; i++) {
            cJSON *c = cJSON_CreateObject();
            cJSON_AddStringToObject(c, "ref", d->rows[i].ref);
            cJSON_AddStringToObject(c, "name", d->rows[i].name);
            json_figure(c, "members", d->rows[i].members);
            json_figure(c, "members_change", d->rows[i].members_diff);
            json_figure(c, "posts", d->rows[i].posts);
            json_figure(c, "interactions", d->rows[i].interactions);
            json_figure(c, "active_people", d->rows[i].active);
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
    struct report *r = NULL;
    struct muni_map *munis = NULL;
    struct store_runs_facts runs;
    int64_t week_start, queued = 0;
    int done = 0, rc;

    *made = 0;
    if (!service_digest_due(cfg, now, week, sizeof week, &week_start))
        return 0;
    if ((rc = store_digest_made(st, week, &done)) != 0 || done)
        goto out;
    /* A week that ended before the first run (the first --watch of a fresh install) has
     * no data: a digest of it would be all n/a. It is recorded, with nothing sent. */
    if ((rc = store_runs_facts(st, 0, &runs)) != 0)
        goto out;
    if (!runs.first_started || runs.first_started >= monday_of(now, 0)) {
        if ((rc = store_digest_record(st, week, now, "no data: collection began after it")) == 0)
            log_info("weekly digest %s: nothing was collected before that week ended; no "
                     "digest for it",
                     week);
        goto out;
    }
    if ((rc = weekly_report(st, cfg, week_start, now, &r, &munis, note, sizeof note)) != 0) {
        log_warn("weekly report %s was not built: %s", week, note);
    } else {
        rc = report_write_files(r, cfg, week, cfg->report_dir, files, sizeof files, html,
                                sizeof html, note, sizeof note);
        if (rc == VKP_ENOTIMPL)
            log_info("weekly report %s: %s; the digest goes out without it", week, note);
        else if (rc != 0)
            log_warn("weekly report %s was not written: %s", week, note);
    }
    report_link(cfg, html, link, sizeof link);
    d = (struct digest){.week = week,
                        .week_start = week_start,
                        .files = files,
                        .html = html,
                        .link = link,
                        .note = note};
    if ((rc = digest_rows(&d, r)) != 0)
        goto out;
    if ((rc = store_begin(st)) != 0)
        goto out;
    if ((rc = alerts_each_open(st, on_digest_alert, &d)) != 0 || (rc = d.rc) != 0 ||
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
        snprintf(err, errlen, "weekly digest: %s", store_error(st, rc));
    digest_release(&d);
    report_free(r);
    muni_map_free(munis);
    return rc;
}
