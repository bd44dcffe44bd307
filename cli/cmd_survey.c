/* cmd_survey.c: `vkpulse survey`. */
#include "cli.h"
#include "err.h"

int cmd_survey(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_fail(VKP_ENOTIMPL, "'survey' is not implemented yet");
}
