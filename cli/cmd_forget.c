/* cmd_forget.c: `vkpulse forget USER_ID` removes a person from the database for good. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attribution.h"
#include "cli.h"
#include "err.h"
#include "store.h"
#include "store_privacy.h"

int cmd_forget(struct cli *cli, int argc, char **argv)
{
    struct store *st = NULL;
    struct store_forget_counts n;
    char err[1024];
    int64_t id;
    int rc;

    if (argc != 2)
        return cli_usage_error("forget", argc < 2 ? "say whose VK user id to forget"
                                                  : "one user id at a time");
    if ((id = vk_user_id_parse(argv[1])) <= 0)
        return cli_usage_error("forget",
                               id < 0 ? "'%s' is a screen name: give the numeric id (id1234567)"
                                      : "'%s' is not a VK user id (a number such as 1234567)",
                               argv[1]);
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    if ((rc = store_forget(st, id, (int64_t)time(NULL), &n)) != 0) {
        rc = cli_store_fail(st, rc, "cannot forget user %" PRId64 " (nothing was changed)", id);
        goto out;
    }
    printf("%s user %" PRId64 ": deleted %" PRId64 " user row, %" PRId64 " memberships, %" PRId64
           " likes, %" PRId64 " reposts, %" PRId64 " roster entry; anonymised %" PRId64
           " comments and %" PRId64 " posts\n",
           n.already ? "forgot again" : "forgot", id, n.user, n.memberships, n.likes, n.reposts,
           n.roster, n.comments, n.posts);
    printf("later collections will leave this person out; only the id is kept, for that\n");
    rc = EXIT_OK_;
out:
    store_free(st);
    return rc;
}
