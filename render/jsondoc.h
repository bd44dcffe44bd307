/* jsondoc.h: the envelope every JSON output shares (report, yearly report, cross-check). */
#ifndef VKP_JSONDOC_H
#define VKP_JSONDOC_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>

/*
 * jsondoc_new: a document that starts with the envelope:
 *   "schema": its name ("vkpulse-report"), "schema_version": version,
 *   "generated_at": ISO 8601 with offset, "timezone": tz (the zone of
 *   every time in it; NULL writes the process's TZ or "UTC").
 * Every time inside is ISO 8601 with offset too (jsondoc_time). NULL when
 * out of memory.
 */
cJSON *jsondoc_new(const char *schema, int version, int64_t generated_at, const char *tz);

/* jsondoc_time: adds t as ISO 8601 with offset, or null for 0. */
cJSON *jsondoc_time(cJSON *o, const char *key, int64_t t);

/* jsondoc_emit: prints the document to out and frees it: 0, VKP_EIO or VKP_ENOMEM. */
int jsondoc_emit(cJSON *root, FILE *out);

#endif
