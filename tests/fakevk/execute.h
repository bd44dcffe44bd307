/* execute.h: the VKScript subset of the execute method: a list of API calls to run in one go. */
#ifndef FV_EXECUTE_H
#define FV_EXECUTE_H

#include <stddef.h>

#include "params.h"

#define EXEC_MAX_CALLS 25     /* VK's limit of API calls per execute */
#define EXEC_PARSE_LIMIT 1000 /* calls parsed at most before giving up (bounded memory) */

/* One API.<method>({...}) call. */
struct exec_call {
    char method[64];      /* e.g. "wall.get" */
    struct params params; /* the object's members, numbers written as decimal text */
};

/* A parsed program: `return [API.a({..}), API.b({..})];` or `return API.a({..});`. */
struct exec_program {
    struct exec_call *calls; /* the calls in order */
    size_t n;                /* calls parsed */
    int is_array;            /* 1: the answer is an array of results; 0: a single result */
};

/* Parses @code into @prog (which the caller releases in every case). Returns 0, FV_EPARSE for
 * anything outside the subset (VK error 12; @why says what), FV_ELIMIT for more than
 * EXEC_MAX_CALLS calls (VK error 13), or FV_ENOMEM. */
int exec_parse(const char *code, struct exec_program *prog, char *why, size_t whylen);
/* Frees the calls of a program. */
void exec_program_release(struct exec_program *prog);

#endif
