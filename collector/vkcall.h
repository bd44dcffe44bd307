/* vkcall.h: one VK request at a time, paced and retried: for the short jobs run beside or
 * without the collector (the city directory, init's check of the groups). */
#ifndef VKP_VKCALL_H
#define VKP_VKCALL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "vkapi.h"

struct config;
struct vkcall;

/*
 * vkcall_new: a client for cfg's [vk] with the access token (not copied: it must outlive
 * the client; never logged). Returns 0 or VKP_EIO / VKP_ENOMEM with err.
 */
int vkcall_new(const struct config *cfg, const char *token, struct vkcall **out, char *err,
               size_t errlen);

/* vkcall_free: NULL is a no-op. After requests it leaves VK's second empty for whoever
 * paces itself next (the collector). */
void vkcall_free(struct vkcall *vc);

/*
 * vkcall_post: posts method with params and parses the answer into *r, retrying what
 * passes (network failures, HTTP 5xx, cut or garbled answers, and the VK errors
 * vk_error_classify calls retry or flood) with a growing pause. Returns 0 (r->response
 * set), or a vkp error with "method: what" in err: VKP_EAUTH, VKP_ECAPTCHA or VKP_EVK
 * (r->error_code says which) for a VK error, VKP_ENET, VKP_EPARSE, VKP_ENOMEM. Release r
 * with vk_reply_release in every case.
 */
int vkcall_post(struct vkcall *vc, const char *method, const cJSON *params, struct vk_reply *r,
                char *err, size_t errlen);

/* vkcall_requests: HTTP requests made so far. */
int64_t vkcall_requests(const struct vkcall *vc);

#endif
