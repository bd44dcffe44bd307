/* cmd_alerts.c: `vkpulse alerts`. */
#include "cli.h"
#include "err.h"

int cmd_alerts(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_fail(VKP_ENOTIMPL, "'alerts' is not implemented yet");
}
