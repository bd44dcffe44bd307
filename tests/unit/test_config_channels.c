/* test_config_channels.c: cmocka tests of what a [channel] of each type takes (core/config.c):
 * its recipients and the keys that belong to its type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_fixture.h"
#include "err.h"

/* `to = ,,,` used to pass and mail nobody; a key of another channel type was ignored
 * (issue 22, B7): both are errors naming the line. */
static void test_config_channel_recipients(void **state)
{
    struct fixture *fx = *state;
#define MAIL ONE_COMMUNITY "[channel]\ntype = email\nsmtp_url = smtps://x.org\nfrom = a@b.c\n"
    expect_error(fx, MAIL "to = ,,,\n", 9, "'to' holds an empty address (',,,')");
    expect_error(fx, MAIL "to = a@b.c,\n", 9, "'to' holds an empty address");
    expect_error(fx, MAIL "to = a@b.c, , d@e.f\n", 9, "'to' holds an empty address");
    expect_error(fx, MAIL "to = moderator\n", 9, "'to': 'moderator' is not a bare address");
    expect_error(fx, MAIL "to = a@b.c d@e.f\n", 9, "is not a bare address");
    expect_error(fx,
                 ONE_COMMUNITY "[channel]\ntype = email\nsmtp_url = smtps://x.org\n"
                               "from = a@b.c, d@e.f\nto = a@b.c\n",
                 8, "'from' takes one bare address");
    struct config *cfg = load_ok(fx, MAIL "to = a@b.c,  d@e.f\n");
    assert_string_equal(cfg->channels[0].to, "a@b.c,  d@e.f");
#undef MAIL
}

static void test_config_channel_foreign_keys(void **state)
{
    struct config *cfg;
    struct fixture *fx = *state;
    expect_error(fx, ONE_COMMUNITY "[channel]\ntype = stdout\nurl = https://x.org/\n", 7,
                 "'url' does not belong to a [channel] of type stdout (it is for webhook "
                 "channels)");
    expect_error(fx, ONE_COMMUNITY "[channel]\nto = a@b.c\ntype = webhook\nurl = https://x.org/\n",
                 6, "'to' does not belong to a [channel] of type webhook");
    expect_error(fx,
                 ONE_COMMUNITY "[channel]\ntype = email\nsmtp_url = smtps://x.org\n"
                               "from = a@b.c\nto = a@b.c\nformat = slack\n",
                 10, "'format' does not belong to a [channel] of type email");
    cfg = load_ok(fx, ONE_COMMUNITY "[channel]\ntype = stdout\nlang = en\ntimeout = 5\n");
    assert_int_equal(cfg->channels[0].type, CHANNEL_STDOUT);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_config_channel_recipients),
        T(test_config_channel_foreign_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
