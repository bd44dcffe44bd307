/* cmd_collect.c: `vkpulse collect`. */
#include "cli.h"
#include "err.h"

int cmd_collect(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_fail(VKP_ENOTIMPL, "'collect' is not implemented yet");
}
