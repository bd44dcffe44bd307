/* vkapi.c: strict parsing of VK API answers (schema 5.199) and request encoding. */
#include "vkapi.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "text.h"

/* ---- field access ---------------------------------------------------------- */

static int bad(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return VKP_EPARSE;
}

/* An integer within the exact range of a double (VK ids fit easily). */
static int as_i64(const cJSON *v, int64_t *out)
{
    if (!cJSON_IsNumber(v))
        return -1;
    double d = v->valuedouble;
    if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0)
        return -1;
    *out = (int64_t)d;
    return 0;
}

/* Required integer field. */
static int req_i64(const cJSON *o, const char *key, int64_t *out)
{
    return as_i64(cJSON_GetObjectItemCaseSensitive(o, key), out);
}

/* Optional integer field: absent is fine (out = def), present must be an integer. */
static int opt_i64(const cJSON *o, const char *key, int64_t def, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v)) {
        *out = def;
        return 0;
    }
    /* VK sends some flags as booleans in places the schema calls base_bool_int. */
    if (cJSON_IsBool(v)) {
        *out = cJSON_IsTrue(v);
        return 0;
    }
    return as_i64(v, out);
}

/* Optional figure of stats.get: like opt_i64, but an integer beyond the exact range of a
 * double is kept (saturated) rather than called malformed, so that the checks refuse it by
 * its meaning and a lying answer is not asked again and again. */
static int opt_figure(const cJSON *o, const char *key, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    double d;
    *out = 0;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || !isfinite(d = v->valuedouble) || d != floor(d))
        return -1;
    *out = d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : (int64_t)d;
    return 0;
}

/* Optional string field: NULL when absent; a wrong type is an error. */
static int opt_str(const cJSON *o, const char *key, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v))
        return -1;
    *out = v->valuestring;
    return 0;
}

/* Optional {"count": N} object such as likes, reposts, views. */
static int opt_count(const cJSON *o, const char *key, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = 0;
    if (!v)
        return 0;
    if (!cJSON_IsObject(v))
        return -1;
    /* The schema says minimum 0: a negative counter is a broken answer, not a fact. */
    return opt_i64(v, "count", 0, out) != 0 || *out < 0 ? -1 : 0;
}

static const cJSON *req_array(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsArray(v) ? v : NULL;
}

/* Allocates n zeroed elements, at least one so NULL means failure. */
static void *alloc_items(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

/* ---- envelope -------------------------------------------------------------- */

/* Every string of an answer made safe for a terminal before anything reads it, so
 * that names stored, printed or sent on never carry control characters. */
static void sanitize_tree(cJSON *item)
{
    for (; item; item = item->next) {
        if (cJSON_IsString(item))
            text_sanitize(item->valuestring, 0);
        if (item->string)
            text_sanitize(item->string, 0);
        sanitize_tree(item->child);
    }
}

int vk_reply_parse(const char *body, size_t len, struct vk_reply *out, char *err, size_t errlen)
{
    const cJSON *e;
    int64_t code;

    memset(out, 0, sizeof *out);
    out->root = cJSON_ParseWithLength(body, len);
    if (!out->root)
        return bad(err, errlen, "answer is not valid JSON (%zu bytes)", len);
    if (!cJSON_IsObject(out->root))
        return bad(err, errlen, "answer is not a JSON object");
    sanitize_tree(out->root->child);
    e = cJSON_GetObjectItemCaseSensitive(out->root, "error");
    if (e) {
        const char *msg = NULL;
        if (!cJSON_IsObject(e) || req_i64(e, "error_code", &code) != 0 || code <= 0 ||
            code > 100000 || opt_str(e, "error_msg", &msg) != 0)
            return bad(err, errlen, "answer has a malformed 'error' object");
        out->error_code = (int)code;
        text_copy(out->error_msg, sizeof out->error_msg, msg ? msg : "");
        return 0;
    }
    out->response = cJSON_GetObjectItemCaseSensitive(out->root, "response");
    if (!out->response)
        return bad(err, errlen, "answer has neither 'response' nor 'error'");
    e = cJSON_GetObjectItemCaseSensitive(out->root, "execute_errors");
    if (e && !cJSON_IsArray(e))
        return bad(err, errlen, "'execute_errors' is not an array");
    out->execute_errors = e;
    return 0;
}

void vk_reply_release(struct vk_reply *r)
{
    cJSON_Delete(r->root);
    memset(r, 0, sizeof *r);
}

int vk_execute_error(const struct vk_reply *r, int k, int *code, const char **msg)
{
    const cJSON *e = r->execute_errors ? cJSON_GetArrayItem(r->execute_errors, k) : NULL;
    int64_t c;
    *code = -1;
    *msg = "inner call failed without an execute_errors entry";
    if (!cJSON_IsObject(e) || req_i64(e, "error_code", &c) != 0)
        return 0;
    *code = (int)c;
    if (opt_str(e, "error_msg", msg) != 0 || !*msg)
        *msg = "";
    return 1;
}

/* ---- groups.getById ---------------------------------------------------------- */

int vk_parse_groups(const cJSON *resp, struct vk_group **out, size_t *n, char *err, size_t errlen)
{
    const cJSON *groups = cJSON_IsObject(resp) ? req_array(resp, "groups") : NULL;
    const cJSON *g;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (!groups)
        return bad(err, errlen, "groups.getById: response.groups missing");
    struct vk_group *v = alloc_items((size_t)cJSON_GetArraySize(groups), sizeof *v);
    if (!v)
        return VKP_ENOMEM;
    cJSON_ArrayForEach(g, groups)
    {
        struct vk_group *x = &v[i];
        int64_t closed;
        if (!cJSON_IsObject(g) || req_i64(g, "id", &x->id) != 0 || x->id <= 0 ||
            opt_str(g, "screen_name", &x->screen_name) != 0 || opt_str(g, "name", &x->name) ||
            opt_i64(g, "members_count", -1, &x->members_count) != 0 ||
            opt_i64(g, "is_closed", 0, &closed) != 0 ||
            opt_str(g, "deactivated", &x->deactivated) != 0) {
            free(v);
            return bad(err, errlen, "groups.getById: group %zu is malformed", i);
        }
        x->is_closed = (int)closed;
        i++;
    }
    *out = v;
    *n = i;
    return 0;
}

/* ---- groups.getMembers --------------------------------------------------------- */

int vk_parse_members(const cJSON *resp, int64_t *count, struct vk_user **out, size_t *n, char *err,
                     size_t errlen)
{
    const cJSON *items = cJSON_IsObject(resp) ? req_array(resp, "items") : NULL;
    const cJSON *u;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (!items || req_i64(resp, "count", count) != 0 || *count < 0)
        return bad(err, errlen, "groups.getMembers: response needs 'count' and 'items'");
    struct vk_user *v = alloc_items((size_t)cJSON_GetArraySize(items), sizeof *v);
    if (!v)
        return VKP_ENOMEM;
    cJSON_ArrayForEach(u, items)
    {
        struct vk_user *x = &v[i];
        const cJSON *city = cJSON_IsObject(u) ? cJSON_GetObjectItemCaseSensitive(u, "city") : NULL;
        if (!cJSON_IsObject(u) || req_i64(u, "id", &x->id) != 0 || x->id <= 0 ||
            opt_str(u, "deactivated", &x->deactivated) != 0 ||
            opt_str(u, "first_name", &x->first_name) != 0 ||
            opt_str(u, "last_name", &x->last_name) != 0 ||
            (city && (!cJSON_IsObject(city) || req_i64(city, "id", &x->city_id) != 0 ||
                      opt_str(city, "title", &x->city_title) != 0))) {
            free(v);
            return bad(err, errlen,
                       "groups.getMembers: member %zu is malformed "
                       "(needs an integer id; city must be {id, title})",
                       i);
        }
        i++;
    }
    *out = v;
    *n = i;
    return 0;
}

/* ---- wall.get -------------------------------------------------------------------- */

static int parse_post(const cJSON *p, struct vk_post *x)
{
    const cJSON *copy;
    int64_t pinned;

    if (!cJSON_IsObject(p) || req_i64(p, "id", &x->id) != 0 ||
        req_i64(p, "owner_id", &x->owner_id) != 0 || req_i64(p, "date", &x->date) != 0 ||
        opt_i64(p, "from_id", x->owner_id, &x->from_id) != 0 ||
        opt_i64(p, "signer_id", 0, &x->signer_id) != 0 ||
        opt_i64(p, "is_pinned", 0, &pinned) != 0 || opt_str(p, "post_type", &x->post_type) != 0 ||
        opt_str(p, "text", &x->text) != 0 || opt_count(p, "views", &x->views) != 0 ||
        opt_count(p, "likes", &x->likes) != 0 || opt_count(p, "reposts", &x->reposts) != 0 ||
        opt_count(p, "comments", &x->comments) != 0)
        return -1;
    x->is_pinned = pinned != 0;
    copy = cJSON_GetObjectItemCaseSensitive(p, "copy_history");
    if (copy) {
        const cJSON *c0 = cJSON_GetArrayItem(copy, 0);
        if (!cJSON_IsArray(copy))
            return -1;
        if (c0 && (!cJSON_IsObject(c0) || req_i64(c0, "id", &x->copy_post_id) != 0 ||
                   req_i64(c0, "owner_id", &x->copy_owner_id) != 0 ||
                   opt_i64(c0, "date", 0, &x->copy_date) != 0))
            return -1;
    }
    return 0;
}

int vk_parse_wall(const cJSON *resp, int64_t *count, struct vk_post **out, size_t *n, char *err,
                  size_t errlen)
{
    const cJSON *items = cJSON_IsObject(resp) ? req_array(resp, "items") : NULL;
    const cJSON *p;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (!items || req_i64(resp, "count", count) != 0 || *count < 0)
        return bad(err, errlen, "wall.get: response needs 'count' and 'items'");
    struct vk_post *v = alloc_items((size_t)cJSON_GetArraySize(items), sizeof *v);
    if (!v)
        return VKP_ENOMEM;
    cJSON_ArrayForEach(p, items)
    {
        if (parse_post(p, &v[i]) != 0) {
            free(v);
            return bad(err, errlen,
                       "wall.get: post %zu is malformed (needs integer id, "
                       "owner_id, date; counters as {count})",
                       i);
        }
        i++;
    }
    *out = v;
    *n = i;
    return 0;
}

/* ---- likes.getList ------------------------------------------------------------------ */

int vk_parse_likes(const cJSON *resp, int64_t *count, int64_t **out, size_t *n, char *err,
                   size_t errlen)
{
    const cJSON *items = cJSON_IsObject(resp) ? req_array(resp, "items") : NULL;
    const cJSON *u;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (!items || req_i64(resp, "count", count) != 0 || *count < 0)
        return bad(err, errlen, "likes.getList: response needs 'count' and 'items'");
    int64_t *v = alloc_items((size_t)cJSON_GetArraySize(items), sizeof *v);
    if (!v)
        return VKP_ENOMEM;
    cJSON_ArrayForEach(u, items)
    {
        /* No one has id 0: an answer listing it is broken, and a like by nobody would
         * be counted as somebody's. */
        if (as_i64(u, &v[i]) != 0 || v[i] == 0) {
            free(v);
            return bad(err, errlen, "likes.getList: item %zu is not an id", i);
        }
        i++;
    }
    *out = v;
    *n = i;
    return 0;
}

/* ---- database.getCities, database.getRegions ------------------------------------------ */

int vk_parse_places(const cJSON *resp, int64_t *count, struct vk_place **out, size_t *n, char *err,
                    size_t errlen)
{
    const cJSON *items = cJSON_IsObject(resp) ? req_array(resp, "items") : NULL;
    const cJSON *c;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (!items || req_i64(resp, "count", count) != 0 || *count < 0)
        return bad(err, errlen, "database: response needs 'count' and 'items'");
    struct vk_place *v = alloc_items((size_t)cJSON_GetArraySize(items), sizeof *v);
    if (!v)
        return VKP_ENOMEM;
    cJSON_ArrayForEach(c, items)
    {
        const cJSON *title =
            cJSON_IsObject(c) ? cJSON_GetObjectItemCaseSensitive(c, "title") : NULL;
        struct vk_place *x = &v[i];
        if (!cJSON_IsString(title) || req_i64(c, "id", &x->id) != 0 || x->id <= 0 ||
            opt_str(c, "area", &x->area) != 0 || opt_str(c, "region", &x->region) != 0) {
            free(v);
            return bad(err, errlen, "database: item %zu needs a positive 'id' and a 'title'", i);
        }
        x->title = title->valuestring;
        i++;
    }
    *out = v;
    *n = i;
    return 0;
}

/* ---- wall.getComments ----------------------------------------------------------------- */

static int parse_comment(const cJSON *c, int64_t parent, struct vk_comment *x)
{
    int64_t deleted;
    if (!cJSON_IsObject(c) || req_i64(c, "id", &x->id) != 0 || req_i64(c, "date", &x->date) != 0 ||
        opt_i64(c, "from_id", 0, &x->from_id) != 0 || opt_i64(c, "deleted", 0, &deleted) != 0)
        return -1;
    x->deleted = deleted != 0;
    if (x->deleted)
        x->from_id = 0;
    x->parent_id = parent;
    return 0;
}

int vk_parse_comments(const cJSON *resp, int64_t thread_root, int64_t *level_count,
                      struct vk_comment **out, size_t *n, char *err, size_t errlen)
{
    const cJSON *items = cJSON_IsObject(resp) ? req_array(resp, "items") : NULL;
    const cJSON *c, *r;
    size_t total = 0, i = 0;
    int64_t count;

    *out = NULL;
    *n = 0;
    if (!items || req_i64(resp, "count", &count) != 0 ||
        opt_i64(resp, "current_level_count", count, level_count) != 0)
        return bad(err, errlen, "wall.getComments: response needs 'count' and 'items'");
    /* First pass: how many comments including inline replies. */
    cJSON_ArrayForEach(c, items)
    {
        const cJSON *th = cJSON_IsObject(c) ? cJSON_GetObjectItemCaseSensitive(c, "thread") : NULL;
        const cJSON *ti = cJSON_IsObject(th) ? req_array(th, "items") : NULL;
        total += 1 + (size_t)(ti ? cJSON_GetArraySize(ti) : 0);
    }
    struct vk_comment *v = alloc_items(total, sizeof *v);
    if (!v)
        return VKP_ENOMEM;
    cJSON_ArrayForEach(c, items)
    {
        struct vk_comment *top = &v[i];
        if (parse_comment(c, thread_root, top) != 0)
            goto malformed;
        i++;
        const cJSON *th = cJSON_GetObjectItemCaseSensitive(c, "thread");
        if (!th)
            continue;
        /* thread.items may be absent, but when present it must be an array. */
        const cJSON *ti = cJSON_IsObject(th) ? cJSON_GetObjectItemCaseSensitive(th, "items") : NULL;
        if (!cJSON_IsObject(th) || req_i64(th, "count", &top->thread_count) != 0 ||
            (ti && !cJSON_IsArray(ti)))
            goto malformed;
        cJSON_ArrayForEach(r, ti)
        {
            if (parse_comment(r, top->id, &v[i]) != 0)
                goto malformed;
            top->thread_inline++;
            i++;
        }
    }
    *out = v;
    *n = i;
    return 0;
malformed:
    free(v);
    return bad(err, errlen,
               "wall.getComments: comment %zu is malformed (needs integer id and "
               "date; thread as {count, items})",
               i);
}

/* ---- wall.getReposts ------------------------------------------------------------------- */

int vk_parse_reposts(const cJSON *resp, struct vk_repost **out, size_t *n, char *err, size_t errlen)
{
    const cJSON *items = cJSON_IsObject(resp) ? req_array(resp, "items") : NULL;
    const cJSON *p;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (!items)
        return bad(err, errlen, "wall.getReposts: response needs 'items'");
    struct vk_repost *v = alloc_items((size_t)cJSON_GetArraySize(items), sizeof *v);
    if (!v)
        return VKP_ENOMEM;
    cJSON_ArrayForEach(p, items)
    {
        if (!cJSON_IsObject(p) || req_i64(p, "id", &v[i].id) != 0 ||
            req_i64(p, "owner_id", &v[i].owner_id) != 0 || req_i64(p, "date", &v[i].date) != 0) {
            free(v);
            return bad(err, errlen, "wall.getReposts: item %zu is malformed", i);
        }
        i++;
    }
    *out = v;
    *n = i;
    return 0;
}

/* ---- stats.get ------------------------------------------------------------------------- */

int vk_parse_stats(const cJSON *resp, struct vk_stat_day **out, size_t *n, char *err, size_t errlen)
{
    const cJSON *p;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (!cJSON_IsArray(resp))
        return bad(err, errlen, "stats.get: response is not an array");
    struct vk_stat_day *v = alloc_items((size_t)cJSON_GetArraySize(resp), sizeof *v);
    if (!v)
        return VKP_ENOMEM;
    cJSON_ArrayForEach(p, resp)
    {
        struct vk_stat_day *x = &v[i];
        const cJSON *reach =
            cJSON_IsObject(p) ? cJSON_GetObjectItemCaseSensitive(p, "reach") : NULL;
        const cJSON *visit =
            cJSON_IsObject(p) ? cJSON_GetObjectItemCaseSensitive(p, "visitors") : NULL;
        const cJSON *act =
            cJSON_IsObject(p) ? cJSON_GetObjectItemCaseSensitive(p, "activity") : NULL;
        if (!cJSON_IsObject(p) || req_i64(p, "period_from", &x->day) != 0 ||
            (reach && (!cJSON_IsObject(reach) || opt_figure(reach, "reach", &x->reach) != 0 ||
                       opt_figure(reach, "reach_subscribers", &x->reach_subscribers) != 0)) ||
            (visit && (!cJSON_IsObject(visit) || opt_figure(visit, "visitors", &x->visitors) != 0 ||
                       opt_figure(visit, "views", &x->views) != 0)) ||
            (act && (!cJSON_IsObject(act) || opt_figure(act, "subscribed", &x->subscribed) != 0 ||
                     opt_figure(act, "unsubscribed", &x->unsubscribed) != 0 ||
                     opt_figure(act, "likes", &x->likes) != 0 ||
                     opt_figure(act, "comments", &x->comments) != 0 ||
                     opt_figure(act, "copies", &x->copies) != 0))) {
            free(v);
            return bad(err, errlen, "stats.get: period %zu is malformed", i);
        }
        i++;
    }
    *out = v;
    *n = i;
    return 0;
}

/* ---- requests ---------------------------------------------------------------------------- */

/* Appends s percent-encoded (application/x-www-form-urlencoded) to b. */
static int form_append(char **buf, size_t *len, size_t *cap, const char *s, int encode)
{
    static const char hex[] = "0123456789ABCDEF";
    /* Room for one encoded byte and the NUL, checked even for an empty s: the
     * first append may be an empty string into a buffer not yet allocated. */
    for (;; s++) {
        if (*len + 4 > *cap) {
            size_t ncap = *cap * 2 + 64;
            char *nb = realloc(*buf, ncap);
            if (!nb)
                return -1;
            *buf = nb;
            *cap = ncap;
        }
        if (!*s)
            break;
        unsigned char c = (unsigned char)*s;
        if (!encode || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            (*buf)[(*len)++] = (char)c;
        } else {
            (*buf)[(*len)++] = '%';
            (*buf)[(*len)++] = hex[c >> 4];
            (*buf)[(*len)++] = hex[c & 15];
        }
    }
    (*buf)[*len] = '\0';
    return 0;
}

/* The text of a parameter value: strings as they are, numbers without a fraction. */
static const char *param_text(const cJSON *v, char *tmp, size_t len)
{
    if (cJSON_IsString(v))
        return v->valuestring;
    if (cJSON_IsNumber(v))
        snprintf(tmp, len, "%.0f", v->valuedouble);
    else if (cJSON_IsBool(v))
        snprintf(tmp, len, "%d", cJSON_IsTrue(v) ? 1 : 0);
    else
        tmp[0] = '\0';
    return tmp;
}

char *vk_form_body(const cJSON *params, const char *token, const char *version)
{
    char *buf = NULL, tmp[64];
    size_t len = 0, cap = 0;
    const cJSON *p;
    int rc = 0;

    cJSON_ArrayForEach(p, params)
    {
        rc |= form_append(&buf, &len, &cap, p->string, 1);
        rc |= form_append(&buf, &len, &cap, "=", 0);
        rc |= form_append(&buf, &len, &cap, param_text(p, tmp, sizeof tmp), 1);
        rc |= form_append(&buf, &len, &cap, "&", 0);
    }
    rc |= form_append(&buf, &len, &cap, "v=", 0);
    rc |= form_append(&buf, &len, &cap, version, 1);
    rc |= form_append(&buf, &len, &cap, "&access_token=", 0);
    rc |= form_append(&buf, &len, &cap, token, 1);
    if (rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *vk_execute_code(const char *const *methods, const cJSON *const *params, size_t n)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = form_append(&buf, &len, &cap, "return [", 0);

    for (size_t i = 0; i < n && rc == 0; i++) {
        char *obj = cJSON_PrintUnformatted(params[i]);
        if (!obj) {
            rc = -1;
            break;
        }
        rc |= form_append(&buf, &len, &cap, i ? ",API." : "API.", 0);
        rc |= form_append(&buf, &len, &cap, methods[i], 0);
        rc |= form_append(&buf, &len, &cap, "(", 0);
        rc |= form_append(&buf, &len, &cap, obj, 0);
        rc |= form_append(&buf, &len, &cap, ")", 0);
        free(obj);
    }
    rc |= form_append(&buf, &len, &cap, "];", 0);
    if (rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ---- VK errors ------------------------------------------------------------------------- */

enum vk_error_class vk_error_classify(int code)
{
    switch (code) {
    case VK_ERR_UNKNOWN:
    case VK_ERR_INTERNAL:
        return VKE_RETRY;
    case VK_ERR_TOO_MANY:
    case VK_ERR_FLOOD:
        return VKE_FLOOD;
    case VK_ERR_AUTH:
        return VKE_AUTH;
    case VK_ERR_CAPTCHA:
        return VKE_CAPTCHA;
    case VK_ERR_RATE_LIMIT:
        return VKE_QUOTA;
    case VK_ERR_APP_OFF:
    case VK_ERR_EXECUTE_CODE:
    case VK_ERR_APP_AUTH:
        return VKE_EXECUTE;
    case VK_ERR_EXECUTE_RUNTIME:
        return VKE_TOO_BIG;
    case VK_ERR_DENIED:
    case VK_ERR_ACCESS:
    case VK_ERR_DELETED:
    case VK_ERR_GROUP_AUTH:
    case VK_ERR_PRIVATE:
    case VK_ERR_GROUP_ACCESS:
    case VK_ERR_COMMENTS_CLOSED:
        return VKE_ACCESS;
    case VK_ERR_PARAM:
        return VKE_PARAM;
    default:
        return VKE_FATAL;
    }
}

int vk_error_vkp(int code)
{
    switch (vk_error_classify(code)) {
    case VKE_AUTH:
        return VKP_EAUTH;
    case VKE_CAPTCHA:
        return VKP_ECAPTCHA;
    default:
        return VKP_EVK;
    }
}
