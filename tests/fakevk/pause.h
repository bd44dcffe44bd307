/* pause.h: the test handshake: hold the answers from a chosen request on, say so, resume on demand.
 */
#ifndef FV_PAUSE_H
#define FV_PAUSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A test arms a pause at the Nth API request from now (optionally the Nth that calls a named
 * method, directly or inside execute). When that request arrives the server is *paused*: its
 * answer and every later one is held (computed, not sent) until the test resumes it. The server
 * says so on stderr and in the pause file (--pause-file), which a test waits for; resuming
 * removes the file and sends the held answers. A collector is thereby held mid-run for as long
 * as the test needs, whatever the machine's speed.
 */
struct pause {
    uint64_t at;      /* 0: not armed; else the ordinal of the request to pause at */
    uint64_t seen;    /* matching requests since it was armed */
    char method[64];  /* count only requests calling this method ("": every request) */
    int paused;       /* 1 from the pause until the resume */
    uint64_t held;    /* answers held since the pause */
    const char *file; /* --pause-file: written at the pause, removed at the resume; or NULL */
};

/* Arms the pause at the @at-th matching request from now (@method NULL or "": any). 0, or -1 when
 * @at is 0 or @method too long. */
int pause_arm(struct pause *p, uint64_t at, const char *method);
/* Called for every API request (@method its path name, @code execute's code or NULL): 1 when
 * its answer must be held. The request that pauses the server writes the pause file. */
int pause_request(struct pause *p, const char *method, const char *code);
/* Ends the pause (the caller then releases the held answers): disarms, removes the file,
 * returns how many answers were held. */
uint64_t pause_resume(struct pause *p);

#endif
