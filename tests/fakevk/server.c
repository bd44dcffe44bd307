/* server.c: the fake VK endpoint: routes HTTP requests to methods through auth, limits, faults. */
#include "server.h"

#include <stdlib.h>
#include <string.h>

#include "execute.h"
#include "http.h"
#include "params.h"

#define MAX_ERROR_CODE 1000 /* error codes counted in the statistics */
#define MAX_METHODS 16      /* room for the method table in the statistics */

/* Counters shown by GET /_fake/stats and printed on exit. */
struct server_stats {
    uint64_t requests;                        /* HTTP requests to /method/ */
    uint64_t calls;                           /* method invocations, inner execute calls included */
    uint64_t executes;                        /* execute requests that ran */
    uint64_t by_method[MAX_METHODS];          /* calls per method */
    uint64_t errors[MAX_ERROR_CODE];          /* VK errors answered, inner ones included, by code */
    uint64_t rate_limited;                    /* error-6 answers from the rate window */
    uint64_t f500;                            /* injected HTTP 500 */
    uint64_t f10;                             /* injected error 10 */
    uint64_t f6;                              /* injected error 6 */
    uint64_t ftruncate;                       /* truncated answers */
    uint64_t fdrop;                           /* dropped connections */
    uint64_t fexec;                           /* failed inner execute calls */
    uint64_t flatency;                        /* delayed answers */
    uint64_t busy;                            /* heavy answers that held the worker (--busy) */
    uint64_t by_token[SERVER_MAX_TOKENS + 1]; /* accepted requests per token (service last) */
};

/* The running server. */
struct server {
    uv_loop_t *loop;          /* the event loop */
    const struct dataset *ds; /* the world, not owned */
    struct server_config cfg; /* command-line settings */
    struct http_server *http; /* the HTTP peer */
    struct faults faults;     /* fault generator */
    /* Per token: [0, n_tokens) the user tokens, [n_tokens] the service key. */
    struct ratelimit rl[SERVER_MAX_TOKENS + 1];                   /* rate windows */
    uint64_t accepted[SERVER_MAX_TOKENS + 1];                     /* for --revoke-after */
    int64_t quota_used[SERVER_MAX_TOKENS + 1][SERVER_MAX_QUOTAS]; /* calls per quota rule today */
    int64_t quota_day;      /* server-clock day the quota counters belong to */
    struct server_stats st; /* counters */
    int64_t clock_base;     /* server clock (unix s) at clock_mono_ms */
    uint64_t clock_mono_ms; /* monotonic ms when the clock was last set */
    uv_signal_t sigint;     /* SIGINT handler */
    uv_signal_t sigterm;    /* SIGTERM handler */
    int signals_open;       /* number of signal handles initialized */
};

static uint64_t mono_ms(void)
{
    return uv_hrtime() / 1000000u;
}

static int64_t server_now(const struct server *s)
{
    return s->clock_base + (int64_t)((mono_ms() - s->clock_mono_ms) / 1000u);
}

static void count_error(struct server *s, int code)
{
    if (code >= 0 && code < MAX_ERROR_CODE)
        s->st.errors[code]++;
}

/* ==== JSON answers ============================================================================ */

/* {"error":{"error_code":..,"error_msg":..,"request_params":[..]}} as VK sends it. */
static cJSON *error_json(const char *method, const struct params *p, const struct vk_error *e)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(root, "error");
    cJSON *rp = NULL;
    if (!err || !cJSON_AddNumberToObject(err, "error_code", e->code) ||
        !cJSON_AddStringToObject(err, "error_msg", e->msg) ||
        !(rp = cJSON_AddArrayToObject(err, "request_params")))
        goto fail;
    struct {
        const char *k, *v;
    } fixed[] = {{"method", method}, {"oauth", "1"}};
    for (size_t i = 0; i < 2 + p->n; i++) {
        const char *k = i < 2 ? fixed[i].k : p->items[i - 2].key;
        const char *v = i < 2 ? fixed[i].v : p->items[i - 2].value;
        if (i >= 2 &&
            (strcmp(k, "access_token") == 0 || strcmp(k, "method") == 0 || strcmp(k, "oauth") == 0))
            continue;
        cJSON *kv = cJSON_CreateObject();
        if (!kv || !cJSON_AddItemToArray(rp, kv)) {
            cJSON_Delete(kv);
            goto fail;
        }
        if (!cJSON_AddStringToObject(kv, "key", k) || !cJSON_AddStringToObject(kv, "value", v))
            goto fail;
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

/* {"response": r} taking ownership of r. */
static cJSON *wrap_response(cJSON *r)
{
    cJSON *root = cJSON_CreateObject();
    if (!root || !r || !cJSON_AddItemToObject(root, "response", r)) {
        cJSON_Delete(r);
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* ==== calls =================================================================================== */

/* Runs one method for token @kind, through the daily quota. Returns the response or NULL with
 * @err set. */
static cJSON *run_call(struct server *s, int kind, int idx, const struct params *p,
                       struct vk_error *err)
{
    int64_t now = server_now(s);
    int64_t day = now / DS_DAY;
    if (day != s->quota_day) {
        memset(s->quota_used, 0, sizeof(s->quota_used));
        s->quota_day = day;
    }
    const char *name = methods_name((size_t)idx);
    for (size_t i = 0; i < s->cfg.n_quotas; i++) {
        if (strcmp(s->cfg.quotas[i].method, name) != 0)
            continue;
        if (s->quota_used[kind][i] >= s->cfg.quotas[i].limit)
            return vk_error_set(err, 29, "Rate limit reached");
        s->quota_used[kind][i]++;
    }
    s->st.calls++;
    if ((size_t)idx < MAX_METHODS)
        s->st.by_method[idx]++;
    int service = (size_t)kind == s->cfg.n_tokens;
    struct vk_ctx ctx = {s->ds, &s->cfg.methods, now, service,
                         !service && s->cfg.tokens[kind].member};
    return methods_call(&ctx, idx, p, err);
}

/* Runs an execute request; returns the whole answer (with execute_errors) or NULL with @err. */
static cJSON *run_execute(struct server *s, int kind, const struct params *p, struct vk_error *err)
{
    struct exec_program prog;
    char why[160];
    cJSON *root = NULL, *results = NULL, *errors = NULL;
    if ((size_t)kind == s->cfg.n_tokens || s->cfg.no_execute)
        return vk_error_set(err, 28, "Application authorization failed");
    const char *code = params_get(p, "code");
    if (!code || !*code)
        return vk_error_set(err, 100,
                            "One of the parameters specified was missing or invalid: "
                            "code is undefined");
    int rc = exec_parse(code, &prog, why, sizeof(why));
    if (rc == FV_EPARSE) {
        vk_error_set(err, 12, "Unable to compile code: %s", why);
        goto fail;
    }
    if (rc == FV_ELIMIT) {
        vk_error_set(err, 13, "Runtime error occurred during code invocation: too many API calls");
        goto fail;
    }
    if (rc) {
        vk_error_set(err, 10, "Internal server error: out of memory");
        goto fail;
    }
    s->st.executes++;
    root = cJSON_CreateObject();
    results = cJSON_CreateArray();
    errors = cJSON_CreateArray();
    if (!root || !results || !errors)
        goto oom;
    for (size_t i = 0; i < prog.n; i++) {
        struct exec_call *c = &prog.calls[i];
        struct vk_error ie = {0, ""};
        cJSON *r = NULL;
        int idx = methods_index(c->method);
        if (faults_exec_fail(&s->faults)) {
            s->st.fexec++;
            vk_error_set(&ie, 10, "Internal server error");
        } else if (idx < 0) {
            vk_error_set(&ie, 3, "Unknown method passed");
        } else {
            r = run_call(s, kind, idx, &c->params, &ie);
        }
        if (!r) {
            count_error(s, ie.code);
            cJSON *e = cJSON_CreateObject();
            if (!e || !cJSON_AddItemToArray(errors, e)) {
                cJSON_Delete(e);
                goto oom;
            }
            if (!cJSON_AddStringToObject(e, "method", c->method) ||
                !cJSON_AddNumberToObject(e, "error_code", ie.code) ||
                !cJSON_AddStringToObject(e, "error_msg", ie.msg))
                goto oom;
            r = cJSON_CreateFalse();
        }
        if (!r || !cJSON_AddItemToArray(results, r)) {
            cJSON_Delete(r);
            goto oom;
        }
    }
    cJSON *answer = results;
    if (!prog.is_array) {
        answer = cJSON_DetachItemFromArray(results, 0);
        cJSON_Delete(results);
    }
    results = NULL;
    if (!answer || !cJSON_AddItemToObject(root, "response", answer)) {
        cJSON_Delete(answer);
        goto oom;
    }
    if (cJSON_GetArraySize(errors) > 0) {
        if (!cJSON_AddItemToObject(root, "execute_errors", errors))
            goto oom;
    } else {
        cJSON_Delete(errors);
    }
    exec_program_release(&prog);
    return root;
oom:
    cJSON_Delete(root);
    cJSON_Delete(results);
    cJSON_Delete(errors);
    root = NULL;
    vk_error_set(err, 10, "Internal server error: out of memory");
fail:
    exec_program_release(&prog);
    return NULL;
}

/* Everything between the HTTP layer and the methods: token, rate window, faults, dispatch.
 * Returns the answer; sets *@is_execute. */
static cJSON *api_request(struct server *s, const char *name, const struct params *p,
                          const struct fault_draw *d, int *is_execute)
{
    struct vk_error err = {0, ""};
    cJSON *r = NULL;
    const char *token = params_get(p, "access_token");
    int kind = -1;
    *is_execute = 0;
    for (size_t i = 0; token && kind < 0 && i < s->cfg.n_tokens; i++)
        if (strcmp(token, s->cfg.tokens[i].token) == 0)
            kind = (int)i;
    if (token && kind < 0 && s->cfg.service_token && strcmp(token, s->cfg.service_token) == 0)
        kind = (int)s->cfg.n_tokens;
    if (!token || !*token) {
        vk_error_set(&err, 5, "User authorization failed: no access_token passed.");
        goto error;
    }
    if (kind < 0) {
        vk_error_set(&err, 5, "User authorization failed: invalid access_token");
        goto error;
    }
    if (s->cfg.revoke_after && s->accepted[kind] >= s->cfg.revoke_after) {
        vk_error_set(&err, 5, "User authorization failed: invalid session.");
        goto error;
    }
    uint64_t now_ms = mono_ms();
    if (!ratelimit_allows(&s->rl[kind], now_ms)) {
        s->st.rate_limited++;
        vk_error_set(&err, 6, "Too many requests per second");
        goto error;
    }
    if (d->err6) {
        s->st.f6++;
        vk_error_set(&err, 6, "Too many requests per second");
        goto error;
    }
    ratelimit_record(&s->rl[kind], now_ms);
    s->accepted[kind]++;
    s->st.by_token[kind]++;
    if (d->err10) {
        s->st.f10++;
        vk_error_set(&err, 10, "Internal server error");
        goto error;
    }
    const char *v = params_get(p, "v");
    if (!v || !*v) {
        vk_error_set(&err, 100,
                     "One of the parameters specified was missing or invalid: "
                     "v is required");
        goto error;
    }
    if (strcmp(name, "execute") == 0) {
        *is_execute = 1;
        r = run_execute(s, kind, p, &err);
        if (!r)
            goto error;
        return r;
    }
    int idx = methods_index(name);
    if (idx < 0) {
        vk_error_set(&err, 3, "Unknown method passed");
        goto error;
    }
    r = run_call(s, kind, idx, p, &err);
    if (!r)
        goto error;
    return wrap_response(r);
error:
    count_error(s, err.code);
    return error_json(name, p, &err);
}

/* ==== control endpoints ======================================================================= */

static cJSON *stats_json(struct server *s)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *bm = NULL, *errs = NULL, *f = NULL, *bt = NULL;
    char key[16];
    if (!root || !cJSON_AddNumberToObject(root, "requests", (double)s->st.requests) ||
        !cJSON_AddNumberToObject(root, "calls", (double)s->st.calls) ||
        !cJSON_AddNumberToObject(root, "executes", (double)s->st.executes) ||
        !cJSON_AddNumberToObject(root, "rate_limited", (double)s->st.rate_limited) ||
        !cJSON_AddNumberToObject(root, "time", (double)server_now(s)) ||
        !(bm = cJSON_AddObjectToObject(root, "by_method")) ||
        !(errs = cJSON_AddObjectToObject(root, "errors")) ||
        !(f = cJSON_AddObjectToObject(root, "faults")) ||
        !(bt = cJSON_AddArrayToObject(root, "by_token")))
        goto fail;
    for (size_t i = 0; i < s->cfg.n_tokens; i++)
        if (!cJSON_AddItemToArray(bt, cJSON_CreateNumber((double)s->st.by_token[i])))
            goto fail;
    for (size_t i = 0; i < methods_count() && i < MAX_METHODS; i++)
        if (!cJSON_AddNumberToObject(bm, methods_name(i), (double)s->st.by_method[i]))
            goto fail;
    for (int c = 0; c < MAX_ERROR_CODE; c++) {
        if (!s->st.errors[c])
            continue;
        snprintf(key, sizeof(key), "%d", c);
        if (!cJSON_AddNumberToObject(errs, key, (double)s->st.errors[c]))
            goto fail;
    }
    const struct {
        const char *k;
        uint64_t v;
    } faults[] = {{"500", s->st.f500},           {"10", s->st.f10},     {"6", s->st.f6},
                  {"truncate", s->st.ftruncate}, {"drop", s->st.fdrop}, {"exec", s->st.fexec},
                  {"latency", s->st.flatency},   {"busy", s->st.busy}};
    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
        if (!cJSON_AddNumberToObject(f, faults[i].k, (double)faults[i].v))
            goto fail;
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

void server_print_stats(struct server *s, FILE *f)
{
    cJSON *j = stats_json(s);
    char *txt = j ? cJSON_PrintUnformatted(j) : NULL;
    if (txt)
        fprintf(f, "%s\n", txt);
    else
        fprintf(f, "{\"error\":\"out of memory\"}\n");
    fflush(f);
    cJSON_free(txt);
    cJSON_Delete(j);
}

/* Sets a text answer (body copied). */
static void answer_text(struct http_response *res, int status, const char *type, const char *body)
{
    res->status = status;
    res->content_type = type;
    res->body = strdup(body);
    res->body_len = res->body ? strlen(body) : 0;
    if (!res->body)
        res->status = 500;
}

/* Sets a JSON answer from a tree (freed here). */
static void answer_json(struct http_response *res, cJSON *j)
{
    char *txt = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!txt) {
        answer_text(res, 500, "text/plain", "out of memory\n");
        return;
    }
    res->status = 200;
    res->content_type = "application/json; charset=utf-8";
    res->body = txt; /* cJSON allocates with malloc by default */
    res->body_len = strlen(txt);
}

static void control(struct server *s, const struct http_request *req, const struct params *p,
                    struct http_response *res)
{
    const char *what = req->path + strlen("/_fake/");
    if (strcmp(what, "stats") == 0) {
        answer_json(res, stats_json(s));
    } else if (strcmp(what, "reset-stats") == 0 && strcmp(req->method, "POST") == 0) {
        memset(&s->st, 0, sizeof(s->st));
        answer_text(res, 200, "application/json; charset=utf-8", "{\"ok\":1}");
    } else if (strcmp(what, "time") == 0) {
        const char *set = params_get(p, "set");
        char buf[64];
        int64_t t;
        if (set && strcmp(req->method, "POST") == 0) {
            if (parse_i64(set, &t) || t < 0) {
                answer_text(res, 400, "application/json; charset=utf-8",
                            "{\"error\":\"set must be a unix time\"}");
                return;
            }
            s->clock_base = t;
            s->clock_mono_ms = mono_ms();
        }
        snprintf(buf, sizeof(buf), "{\"time\":%lld}", (long long)server_now(s));
        answer_text(res, 200, "application/json; charset=utf-8", buf);
    } else if (strcmp(what, "hostile") == 0 && strcmp(req->method, "POST") == 0) {
        /* A server that turns hostile between two runs (empty: honest again). */
        const char *set = params_get(p, "set");
        unsigned h = 0;
        if (!set || (*set && methods_hostile_parse(set, &h))) {
            answer_text(res, 400, "application/json; charset=utf-8",
                        "{\"error\":\"set must list hostile kinds\"}");
            return;
        }
        s->cfg.methods.hostile = h;
        answer_text(res, 200, "application/json; charset=utf-8", "{\"ok\":1}");
    } else {
        answer_text(res, 404, "application/json; charset=utf-8", "{\"error\":\"not found\"}");
    }
}

/* ==== HTTP handler ============================================================================ */

static void handle(void *ud, const struct http_request *req, struct http_response *res)
{
    struct server *s = ud;
    struct params p;
    /* The request line as it came, never the body: what a proxy's or
     * server's access log would keep (tests grep it for secrets). */
    if (s->cfg.request_log)
        fprintf(s->cfg.request_log, "%s %s%s%s\n", req->method, req->path, req->query[0] ? "?" : "",
                req->query);
    params_init(&p);
    int bad = params_parse_form(&p, req->query, strlen(req->query));
    if (!bad && strcmp(req->method, "POST") == 0)
        bad = params_parse_form(&p, req->body, req->body_len);

    if (strncmp(req->path, "/_fake/", 7) == 0) {
        control(s, req, &p, res);
        goto out;
    }
    if (strncmp(req->path, "/method/", 8) != 0) {
        answer_text(res, 404, "text/html; charset=utf-8",
                    "<html><body><h1>404 Not Found</h1></body></html>\n");
        goto out;
    }
    const char *name = req->path + 8;
    s->st.requests++;

    struct fault_draw d;
    faults_draw(&s->faults, &d);
    if (d.drop) {
        s->st.fdrop++;
        res->drop = 1;
        goto out;
    }
    res->delay_ms = d.delay_ms;
    if (d.delay_ms)
        s->st.flatency++;
    if (d.http500) {
        s->st.f500++;
        answer_text(res, 500, "text/html; charset=utf-8",
                    "<html><head><title>500 Internal Server Error</title></head><body>"
                    "<h1>500 Internal Server Error</h1><hr>nginx</body></html>\n");
        goto out;
    }
    cJSON *answer;
    int is_execute = 0;
    if (bad) {
        struct vk_error e;
        vk_error_set(&e, 100,
                     "One of the parameters specified was missing or invalid: "
                     "too many parameters");
        count_error(s, e.code);
        answer = error_json(name, &p, &e);
    } else {
        answer = api_request(s, name, &p, &d, &is_execute);
    }
    answer_json(res, answer);
    if (is_execute && res->status == 200 && res->body_len > s->cfg.exec_max_bytes) {
        struct vk_error e;
        free(res->body);
        res->body = NULL;
        vk_error_set(&e, 13,
                     "Runtime error occurred during code invocation: "
                     "response size is too big");
        count_error(s, e.code);
        answer_json(res, error_json(name, &p, &e));
    }
    if (s->cfg.busy_ms && res->body_len >= s->cfg.busy_bytes) {
        /* A heavy answer keeps the one worker busy: requests that arrive meanwhile wait,
         * and are counted in the rate window when it gets to them. */
        res->delay_ms += s->cfg.busy_ms;
        s->st.busy++;
    }
    if (d.truncate && res->status == 200) {
        s->st.ftruncate++;
        res->truncate = d.truncate;
    }
out:
    params_release(&p);
}

/* ==== lifetime ================================================================================ */

int server_new(uv_loop_t *loop, const struct dataset *ds, const struct server_config *cfg,
               struct server **out)
{
    struct server *s = calloc(1, sizeof(*s));
    struct http_limits lim = {16 * 1024, SERVER_MAX_REQUEST, 128, 60000, 0};
    int rc = FV_ENOMEM;
    *out = NULL;
    if (!s)
        return FV_ENOMEM;
    s->loop = loop;
    s->ds = ds;
    s->cfg = *cfg;
    s->clock_base = cfg->start_time;
    s->clock_mono_ms = mono_ms();
    s->quota_day = -1;
    faults_init(&s->faults, &cfg->faults);
    for (size_t i = 0; i <= cfg->n_tokens; i++) {
        size_t rps = i < cfg->n_tokens && cfg->tokens[i].rps ? cfg->tokens[i].rps : cfg->rps;
        if (ratelimit_init(&s->rl[i], rps))
            goto fail;
    }
    /* --busy: one worker takes requests in arrival order, and everything (the token, the
     * rate window) is checked when it takes one, as a busy server does. */
    lim.serial = cfg->busy_ms > 0;
    rc = http_server_new(loop, &lim, handle, s, &s->http);
    if (rc)
        goto fail;
    *out = s;
    return 0;
fail:
    for (size_t i = 0; i <= SERVER_MAX_TOKENS; i++)
        ratelimit_release(&s->rl[i]);
    free(s);
    return rc;
}

static void signal_closed(uv_handle_t *h)
{
    (void)h;
}

void server_stop(struct server *s)
{
    http_server_close(s->http);
    if (s->signals_open >= 1 && !uv_is_closing((uv_handle_t *)&s->sigint))
        uv_close((uv_handle_t *)&s->sigint, signal_closed);
    if (s->signals_open >= 2 && !uv_is_closing((uv_handle_t *)&s->sigterm))
        uv_close((uv_handle_t *)&s->sigterm, signal_closed);
}

static void on_signal(uv_signal_t *sig, int signum)
{
    struct server *s = sig->data;
    (void)signum;
    server_print_stats(s, stdout);
    server_stop(s);
}

int server_start(struct server *s, int port, int *bound, char *err, size_t errlen)
{
    int rc = http_server_listen(s->http, "127.0.0.1", port, bound, err, errlen);
    if (rc)
        goto fail;
    if (uv_signal_init(s->loop, &s->sigint) < 0)
        goto fail_sig;
    s->signals_open = 1;
    s->sigint.data = s;
    if (uv_signal_init(s->loop, &s->sigterm) < 0)
        goto fail_sig;
    s->signals_open = 2;
    s->sigterm.data = s;
    if (uv_signal_start(&s->sigint, on_signal, SIGINT) < 0 ||
        uv_signal_start(&s->sigterm, on_signal, SIGTERM) < 0)
        goto fail_sig;
    return 0;
fail_sig:
    snprintf(err, errlen, "cannot install signal handlers");
    rc = FV_EUV;
fail:
    server_stop(s); /* the caller runs the loop once to finish closing */
    return rc;
}

void server_free(struct server *s)
{
    if (!s)
        return;
    http_server_free(s->http);
    for (size_t i = 0; i <= SERVER_MAX_TOKENS; i++)
        ratelimit_release(&s->rl[i]);
    free(s);
}
