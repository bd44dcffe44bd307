/* crosscheck_export.c: pseudonyms, and the member-level rows of the window for research. */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crosscheck.h"
#include "err.h"
#include "muni.h"
#include "store.h"
#include "store_analysis.h"

struct export
{
    struct attribution *attr; /* who is where */
    const char *salt;         /* HMAC key */
    char sep;                 /* CSV separator */
    FILE *out;                /* destination */
    char **refs;              /* community refs by internal id (index id) */
    size_t nrefs;             /* entries of refs */
};

int xc_session_salt(char hex[65])
{
    unsigned char key[32];

    if (RAND_bytes(key, sizeof key) != 1)
        return VKP_EIO;
    for (size_t i = 0; i < sizeof key; i++)
        snprintf(hex + 2 * i, 3, "%02x", key[i]);
    return 0;
}

int xc_pseudonym(const char *salt, int64_t id, char hex[65])
{
    unsigned char md[32];
    size_t mdlen = 0;
    char msg[32];
    int n = snprintf(msg, sizeof msg, "%lld", (long long)id);

    if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, salt, strlen(salt),
                   (const unsigned char *)msg, (size_t)n, md, sizeof md, &mdlen) ||
        mdlen != 32)
        return VKP_ENOMEM;
    for (size_t i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return 0;
}

static int keep_ref(void *ud, const struct store_community_info *c)
{
    struct export *e = ud;
    if (c->id < 0 || c->id > 100000)
        return 0;
    if ((size_t)c->id >= e->nrefs) {
        size_t n = (size_t)c->id + 1;
        char **grown = realloc(e->refs, n * sizeof *grown);
        if (!grown)
            return VKP_ENOMEM;
        memset(grown + e->nrefs, 0, (n - e->nrefs) * sizeof *grown);
        e->refs = grown;
        e->nrefs = n;
    }
    e->refs[c->id] = strdup(c->ref);
    return e->refs[c->id] ? 0 : VKP_ENOMEM;
}

static int export_row(void *ud, const struct store_participant *p)
{
    struct export *e = ud;
    enum attr_source src;
    char hex[65];
    const struct muni *m = attribution_of(e->attr, p->user_id, p->city_id, p->city_title, &src);
    const char *ref = (size_t)p->community_id < e->nrefs && e->refs[p->community_id]
                          ? e->refs[p->community_id]
                          : "";

    if (xc_pseudonym(e->salt, p->user_id, hex) != 0)
        return VKP_ENOMEM;
    /* Refs and official names hold no separator or quote; still quote the name. */
    fprintf(e->out, "%s%c%s%c\"%s\"%c%s%c%d%c%lld%c%lld%c%lld%c%lld\r\n", hex, e->sep, ref, e->sep,
            m ? m->name : "", e->sep, attr_source_name(src), e->sep, p->member ? 1 : 0, e->sep,
            (long long)p->comments, e->sep, (long long)p->posts, e->sep, (long long)p->likes,
            e->sep, (long long)p->reposts);
    return ferror(e->out) ? VKP_EIO : 0;
}

int crosscheck_export_members(struct store *st, struct attribution *attr, int64_t from, int64_t to,
                              int64_t member_at, const char *salt, char sep, FILE *out, char *err,
                              size_t errlen)
{
    struct export e = {.attr = attr, .salt = salt, .sep = sep, .out = out};
    int rc;

    if (!salt || strlen(salt) < 16) {
        snprintf(err, errlen,
                 "--pseudonymize needs a secret [survey] pseudonym_salt of at least 16 "
                 "characters in the config (e.g. the output of 'openssl rand -hex 32'); keep it "
                 "private and unchanged so pseudonyms stay comparable between exports");
        return VKP_ECONFIG;
    }
    if ((rc = store_each_community(st, keep_ref, &e)) != 0)
        goto fail;
    fprintf(out,
            "\xEF\xBB\xBFpseudonym%ccommunity%cmunicipality%cattribution%cmember%ccomments%c"
            "posts%clikes%creposts\r\n",
            sep, sep, sep, sep, sep, sep, sep, sep);
    rc = store_each_participant(st, 0, from, to, member_at, export_row, &e);
fail:
    if (rc == VKP_EIO)
        snprintf(err, errlen, "cannot write the export");
    else if (rc == VKP_ENOMEM)
        snprintf(err, errlen, "out of memory");
    else if (rc != 0)
        snprintf(err, errlen, "%s", store_errmsg(st));
    for (size_t i = 0; i < e.nrefs; i++)
        free(e.refs[i]);
    free(e.refs);
    return rc;
}
