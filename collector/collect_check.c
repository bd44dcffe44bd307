/* collect_check.c: the configured groups checked against VK, naming each one it cannot collect. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collect_int.h"
#include "config.h"
#include "err.h"
#include "vkcall.h"

int collect_group_is(const char *ref, int64_t known_id, const struct vk_group *g)
{
    int64_t id = known_id ? known_id : config_group_id(ref);
    if (id)
        return g->id == id;
    return g->screen_name && !strcasecmp(g->screen_name, ref);
}

/* Asks VK for the groups of cfg named in ids ("a,b,c"); *reply holds the answer. */
static int ask(struct vkcall *vc, const char *ids, struct vk_reply *reply, char *err, size_t errlen)
{
    cJSON *p = cJSON_CreateObject();
    int rc = VKP_ENOMEM;
    if (p && cJSON_AddStringToObject(p, "group_ids", ids))
        rc = vkcall_post(vc, "groups.getById", p, reply, err, errlen);
    cJSON_Delete(p);
    return rc;
}

/* Checks the answer for the communities cfg->communities[from, to). */
static int judge(const struct config *cfg, size_t from, size_t to, const cJSON *resp,
                 collect_bad_group_fn bad, void *ud, int *nbad, char *err, size_t errlen)
{
    struct vk_group *g = NULL;
    size_t n = 0;
    int rc = vk_parse_groups(resp, &g, &n, err, errlen);
    for (size_t i = from; i < to && rc == 0; i++) {
        const struct config_community *cc = &cfg->communities[i];
        const struct vk_group *found = NULL;
        char why[160];
        for (size_t k = 0; k < n && !found; k++)
            if (collect_group_is(cc->group, 0, &g[k]))
                found = &g[k];
        if (found && !found->deactivated)
            continue;
        if (found)
            snprintf(why, sizeof why, "VK says the group is %s", found->deactivated);
        else
            snprintf(why, sizeof why, "VK does not know this group");
        bad(ud, cc, why);
        (*nbad)++;
    }
    free(g);
    return rc;
}

int collector_check_groups(const struct config *cfg, const char *token, collect_bad_group_fn bad,
                           void *ud, int *nbad, char *err, size_t errlen)
{
    struct vkcall *vc = NULL;
    struct vk_reply r;
    char *ids = NULL;
    size_t len = 1;
    int rc;

    *nbad = 0;
    memset(&r, 0, sizeof r);
    if (cfg->ncommunities == 0)
        return 0;
    for (size_t i = 0; i < cfg->ncommunities; i++)
        len += strlen(cfg->communities[i].group) + 1;
    if (!(ids = calloc(1, len))) {
        snprintf(err, errlen, "out of memory");
        return VKP_ENOMEM;
    }
    for (size_t i = 0; i < cfg->ncommunities; i++)
        strcat(strcat(ids, i ? "," : ""), cfg->communities[i].group);
    if ((rc = vkcall_new(cfg, token, &vc, err, errlen)) != 0)
        goto out;
    rc = ask(vc, ids, &r, err, errlen);
    if (rc == 0) {
        rc = judge(cfg, 0, cfg->ncommunities, r.response, bad, ud, nbad, err, errlen);
        goto out;
    }
    if (rc != VKP_EVK || vk_error_classify(r.error_code) != VKE_PARAM)
        goto out;
    /* One unknown name makes VK refuse the whole list: ask for each group alone. */
    for (size_t i = 0; i < cfg->ncommunities; i++) {
        vk_reply_release(&r);
        rc = ask(vc, cfg->communities[i].group, &r, err, errlen);
        if (rc == 0) {
            rc = judge(cfg, i, i + 1, r.response, bad, ud, nbad, err, errlen);
        } else if (rc == VKP_EVK && vk_error_classify(r.error_code) == VKE_PARAM) {
            char why[320];
            snprintf(why, sizeof why, "VK does not know this group (VK error %d: %s)", r.error_code,
                     r.error_msg);
            bad(ud, &cfg->communities[i], why);
            (*nbad)++;
            rc = 0;
        }
        if (rc != 0)
            break;
    }
out:
    vk_reply_release(&r);
    vkcall_free(vc);
    free(ids);
    return rc;
}
