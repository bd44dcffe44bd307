/* jsondoc.c: the shared JSON envelope and time format. */
#include "jsondoc.h"

#include <stdlib.h>

#include "err.h"
#include "fmt.h"

cJSON *jsondoc_new(const char *schema, int version, int64_t generated_at, const char *tz)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    if (!tz || !tz[0])
        tz = getenv("TZ") && getenv("TZ")[0] ? getenv("TZ") : "UTC";
    cJSON_AddStringToObject(root, "schema", schema);
    cJSON_AddNumberToObject(root, "schema_version", version);
    jsondoc_time(root, "generated_at", generated_at);
    cJSON_AddStringToObject(root, "timezone", tz);
    return root;
}

cJSON *jsondoc_time(cJSON *o, const char *key, int64_t t)
{
    char buf[40];
    if (!t)
        return cJSON_AddNullToObject(o, key);
    fmt_iso(t, buf, sizeof buf);
    return cJSON_AddStringToObject(o, key, buf);
}

int jsondoc_emit(cJSON *root, FILE *out)
{
    char *text = root ? cJSON_Print(root) : NULL;
    int rc = VKP_ENOMEM;
    if (text) {
        fputs(text, out);
        fputc('\n', out);
        rc = ferror(out) ? VKP_EIO : 0;
    }
    free(text);
    cJSON_Delete(root);
    return rc;
}
