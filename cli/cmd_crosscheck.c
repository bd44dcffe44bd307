/* cmd_crosscheck.c: `vkpulse crosscheck`. */
#include "cli.h"
#include "err.h"

int cmd_crosscheck(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_fail(VKP_ENOTIMPL, "'crosscheck' is not implemented yet");
}
