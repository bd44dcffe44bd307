/* cmd_report.c: `vkpulse report`. */
#include "cli.h"
#include "err.h"

int cmd_report(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_fail(VKP_ENOTIMPL, "'report' is not implemented yet");
}
