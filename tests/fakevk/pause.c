/* pause.c: the test handshake: hold the answers from a chosen request on, say so, resume on demand.
 */
#include "pause.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int pause_arm(struct pause *p, uint64_t at, const char *method)
{
    if (at == 0 || (method && strlen(method) >= sizeof(p->method)))
        return -1;
    p->at = at;
    p->seen = 0;
    snprintf(p->method, sizeof(p->method), "%s", method ? method : "");
    return 0;
}

/* 1 when the request calls the armed method: by its path, or as API.<method>( in execute. */
static int calls_method(const struct pause *p, const char *method, const char *code)
{
    char needle[80];
    if (!p->method[0] || strcmp(method, p->method) == 0)
        return 1;
    snprintf(needle, sizeof(needle), "API.%s(", p->method);
    return code && strstr(code, needle) != NULL;
}

/* Writes the pause file atomically (temporary file + rename). */
static void say_paused(const struct pause *p, const char *method)
{
    char tmp[4096];
    fprintf(stderr, "fakevk: paused at request %llu (%s): answers held until POST /_fake/resume\n",
            (unsigned long long)p->at, method);
    if (!p->file ||
        (size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", p->file, (long)getpid()) >= sizeof(tmp))
        return;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    int bad = fprintf(f, "paused at request %llu: %s\n", (unsigned long long)p->at, method) < 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, p->file) != 0)
        remove(tmp);
}

int pause_request(struct pause *p, const char *method, const char *code)
{
    if (p->paused) {
        p->held++;
        return 1;
    }
    if (!p->at || !calls_method(p, method, code) || ++p->seen < p->at)
        return 0;
    p->paused = 1;
    p->held = 1;
    say_paused(p, method);
    return 1;
}

uint64_t pause_resume(struct pause *p)
{
    uint64_t held = p->held;
    if (p->paused && p->file)
        remove(p->file);
    if (p->paused)
        fprintf(stderr, "fakevk: resumed, %llu held answers sent\n", (unsigned long long)held);
    p->at = p->seen = p->held = 0;
    p->paused = 0;
    return held;
}
