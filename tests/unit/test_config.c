/* test_config.c: cmocka tests of the configuration loader (core/config.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_fixture.h"
#include "config_int.h"
#include "err.h"

/* The repository root: $VKP_SRC as ctest sets it, else where this file was
 * compiled from (CMake passes absolute paths), so the test also runs by hand
 * from any directory. */
static void source_root(char *buf, size_t len)
{
    static const char tail[] = "/tests/unit/test_config.c";
    const char *env = getenv("VKP_SRC");
    size_t n = strlen(__FILE__);

    if (env && env[0]) {
        snprintf(buf, len, "%s", env);
    } else if (n > sizeof tail - 1 && strcmp(__FILE__ + n - (sizeof tail - 1), tail) == 0) {
        snprintf(buf, len, "%.*s", (int)(n - (sizeof tail - 1)), __FILE__);
    } else {
        snprintf(buf, len, ".");
    }
}

/* ---- loading valid files ----------------------------------------------------- */

static void test_config_minimal_gets_defaults(void **state)
{
    struct fixture *fx = *state;
    char want[PATH_MAX];
    struct config *cfg = load_ok(fx, ONE_COMMUNITY);

    assert_non_null(strstr(cfg->path, "/tmp/vkp_test_config_"));
    snprintf(want, sizeof want, "%s/vkpulse.db", tmp_dir());
    assert_string_equal(cfg->db_path, want);
    assert_string_equal(cfg->api_url, "https://api.vk.com/method");
    assert_string_equal(cfg->api_version, "5.199");
    assert_true(cfg->rps == 3.0);
    assert_string_equal(cfg->token_env, "VKPULSE_TOKEN");
    assert_string_equal(cfg->token_file, "");
    assert_int_equal(cfg->timeout, 30);
    assert_int_equal(cfg->use_execute, 1);
    assert_int_equal(cfg->max_response_kb, 8192);
    assert_int_equal(cfg->horizon_days, 0);
    assert_int_equal(cfg->refresh_days, 30);
    assert_int_equal(cfg->interval, 3600);
    assert_int_equal(cfg->collect_stats, 1);
    assert_int_equal(cfg->store_names, 0);
    snprintf(want, sizeof want, "%s/regions/chelyabinsk.ini", tmp_dir());
    assert_string_equal(cfg->municipalities, want);
    assert_string_equal(cfg->timezone, "Asia/Yekaterinburg");
    assert_string_equal(cfg->lang, "ru");

    assert_int_equal(cfg->ncommunities, 1);
    assert_string_equal(cfg->communities[0].group, "g1");
    assert_int_equal(cfg->communities[0].kind, COMMUNITY_RMO);
    assert_string_equal(cfg->communities[0].survey_name, "Survey one");
    assert_int_equal(cfg->communities[0].line, 1);
}

static void test_config_every_key_set(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg = load_ok(fx, "[database]\n"
                                     "path = /var/tmp/x.db\n"
                                     "[vk]\n"
                                     "api_url = https://vk.example.org/method\n"
                                     "api_version = 5.131\n"
                                     "requests_per_second = 20\n"
                                     "token_env = MY_TOKEN\n"
                                     "token_file = /etc/vkpulse/token\n"
                                     "timeout = 300\n"
                                     "execute = off\n"
                                     "max_response_kb = 64\n"
                                     "[collect]\n"
                                     "horizon_days = 1\n"
                                     "refresh_days = 3650\n"
                                     "interval = 60\n"
                                     "stats = FALSE\n"
                                     "store_names = true\n"
                                     "[region]\n"
                                     "municipalities = /etc/vkpulse/m.ini\n"
                                     "timezone = Europe/Moscow\n"
                                     "lang = en\n" ONE_COMMUNITY "[community]\n"
                                     "group = 12345\n"
                                     "kind = community\n"
                                     "survey_name = Two\n");

    assert_string_equal(cfg->db_path, "/var/tmp/x.db");
    assert_string_equal(cfg->api_url, "https://vk.example.org/method");
    assert_string_equal(cfg->api_version, "5.131");
    assert_true(cfg->rps == 20.0);
    assert_string_equal(cfg->token_env, "MY_TOKEN");
    assert_string_equal(cfg->token_file, "/etc/vkpulse/token");
    assert_int_equal(cfg->timeout, 300);
    assert_int_equal(cfg->use_execute, 0);
    assert_int_equal(cfg->max_response_kb, 64);
    assert_int_equal(cfg->horizon_days, 1);
    assert_int_equal(cfg->refresh_days, 3650);
    assert_int_equal(cfg->interval, 60);
    assert_int_equal(cfg->collect_stats, 0);
    assert_int_equal(cfg->store_names, 1);
    assert_string_equal(cfg->municipalities, "/etc/vkpulse/m.ini");
    assert_string_equal(cfg->timezone, "Europe/Moscow");
    assert_string_equal(cfg->lang, "en");
    assert_int_equal(cfg->ncommunities, 2);
    assert_int_equal(cfg->communities[0].line, 22);
    assert_string_equal(cfg->communities[1].group, "12345");
    assert_int_equal(cfg->communities[1].kind, COMMUNITY_PROF);
    assert_int_equal(cfg->communities[1].line, 26);
    assert_string_equal(config_kind_name(COMMUNITY_RMO), "rmo");
    assert_string_equal(config_kind_name(COMMUNITY_PROF), "community");
}

static void test_config_example_file_loads(void **state)
{
    struct fixture *fx = *state;
    char src[1024], path[PATH_MAX], want[PATH_MAX];
    static const char *const groups[] = {
        "rmo_slozhny_kontingent",  "rmo_neuspeshnost",  "rmo_funktsionalnaya_gramotnost",
        "sps_slabouspevayushchie", "sps_shkoly_lidery",
    };

    source_root(src, sizeof src);
    snprintf(path, sizeof path, "%s/config/vkpulse.ini", src);
    int rc = config_load(path, &fx->cfg, fx->err, sizeof fx->err);
    if (rc != 0)
        print_error("%s\n", fx->err);
    assert_int_equal(rc, 0);
    struct config *cfg = fx->cfg;
    assert_int_equal(cfg->ncommunities, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(cfg->communities[i].group, groups[i]);
        assert_int_equal(cfg->communities[i].kind, i < 3 ? COMMUNITY_RMO : COMMUNITY_PROF);
        assert_true(cfg->communities[i].line > 0);
    }
    assert_string_equal(cfg->communities[0].survey_name,
                        "Педагогическое взаимодействие со «сложным» контингентом обучающихся");
    assert_string_equal(cfg->communities[4].survey_name,
                        "Использование потенциала школ-лидеров в повышении качества образования");
    assert_string_equal(cfg->db_path, "/var/lib/vkpulse/vkpulse.db");
    assert_string_equal(cfg->token_file, "");
    snprintf(want, sizeof want, "%s/config/regions/chelyabinsk.ini", src);
    assert_string_equal(cfg->municipalities, want);
}

static void test_config_relative_paths_resolved(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg = load_ok(fx, "[database]\npath = data/x.db\n"
                                     "[vk]\ntoken_file = secrets/token\n"
                                     "[region]\nmunicipalities = ../maps/m.ini\n" ONE_COMMUNITY);
    assert_string_equal(cfg->db_path, "/tmp/data/x.db");
    assert_string_equal(cfg->token_file, "/tmp/secrets/token");
    assert_string_equal(cfg->municipalities, "/tmp/../maps/m.ini");
}

static void test_config_quotes_and_comments(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg = load_ok(fx, "# a comment\n"
                                     "; another comment\n"
                                     "\n"
                                     "  [ region ]  \n"
                                     "timezone = Europe/Moscow # inline comment\n"
                                     "lang = en\t; inline comment after a tab\n"
                                     "[vk]\n"
                                     "api_version = 5.199;not-a-comment\n"
                                     "token_env = \"  A#B;C  \"   # comment after quotes\n"
                                     "[community]\n"
                                     "group = \"say \\\"hi\\\" \\\\ bye\"\n"
                                     "kind=community\n"
                                     "survey_name   =   Has # inside?#no\n");
    assert_string_equal(cfg->timezone, "Europe/Moscow");
    assert_string_equal(cfg->lang, "en");
    assert_string_equal(cfg->api_version, "5.199;not-a-comment");
    assert_string_equal(cfg->token_env, "  A#B;C  ");
    assert_string_equal(cfg->communities[0].group, "say \"hi\" \\ bye");
    assert_int_equal(cfg->communities[0].kind, COMMUNITY_PROF);
    assert_string_equal(cfg->communities[0].survey_name, "Has");
    assert_int_equal(cfg->communities[0].line, 10);
}

/* Debian's libinih stops at 200 bytes a line; ours must not (core/ini.h). */
static void test_config_long_cyrillic_line(void **state)
{
    struct fixture *fx = *state;
    char name[2048] = "", text[4096];

    while (strlen(name) < 1200)
        strcat(name, "Формирование функциональной грамотности ");
    name[strlen(name) - 1] = '\0';
    snprintf(text, sizeof text, "[community]\ngroup = g\nkind = rmo\nsurvey_name = %s\n", name);
    struct config *cfg = load_ok(fx, text);
    assert_string_equal(cfg->communities[0].survey_name, name);
}

static void test_config_bom_and_crlf(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg = load_ok(fx, "\xEF\xBB\xBF[vk]\r\ntimeout = 5\r\n"
                                     "[community]\r\ngroup = g\r\nkind = rmo\r\n"
                                     "survey_name = S\r\n");
    assert_int_equal(cfg->timeout, 5);
    assert_string_equal(cfg->communities[0].group, "g");
    assert_string_equal(cfg->communities[0].survey_name, "S");
}

static void test_config_http_loopback_accepted(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg =
        load_ok(fx, "[vk]\napi_url = http://127.0.0.1:8080/method\n" ONE_COMMUNITY);
    assert_string_equal(cfg->api_url, "http://127.0.0.1:8080/method");
    config_free(fx->cfg);
    fx->cfg = NULL;
    cfg = load_ok(fx, "[vk]\napi_url = http://localhost/method\n" ONE_COMMUNITY);
    assert_string_equal(cfg->api_url, "http://localhost/method");
}

static void test_config_free_null(void **state)
{
    (void)state;
    config_free(NULL);
}

/* ---- every error names file:line ------------------------------------------- */

/* [survey] period: the crosscheck's window is one of three periods, a typo names its line */
static void test_config_survey_period(void **state)
{
    expect_error(*state, "[survey]\nperiod = school_year\n" ONE_COMMUNITY, 2,
                 "'period' must be one of calendar, school-year, weeks; not 'school_year'");
}

static void test_config_unknown_key(void **state)
{
    expect_error(*state, "[vk]\ntimeout = 5\ntimeuot = 5\n" ONE_COMMUNITY, 3,
                 "unknown key 'timeuot' in [vk]");
}

static void test_config_unknown_key_in_community(void **state)
{
    expect_error(*state, ONE_COMMUNITY "name = x\n", 5, "unknown key 'name' in [community]");
}

static void test_config_unknown_section(void **state)
{
    expect_error(*state, ONE_COMMUNITY "\n[databse]\npath = x.db\n", 6,
                 "unknown section [databse]");
}

static void test_config_key_outside_section(void **state)
{
    expect_error(*state, "# header\ntimeout = 5\n" ONE_COMMUNITY, 2,
                 "'timeout' is outside any [section]");
}

static void test_config_duplicate_key(void **state)
{
    expect_error(*state, "[vk]\ntimeout = 5\n\n[collect]\n[vk]\ntimeout = 6\n" ONE_COMMUNITY, 6,
                 "'timeout' is set twice in [vk] (first on line 2)");
}

static void test_config_duplicate_key_in_community(void **state)
{
    expect_error(*state, ONE_COMMUNITY "kind = community\n", 5, "'kind' is set twice");
}

static void test_config_same_key_in_two_communities(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg =
        load_ok(fx, ONE_COMMUNITY "[community]\ngroup = g2\nkind = rmo\nsurvey_name = Two\n");
    assert_int_equal(cfg->ncommunities, 2);
    assert_int_equal(cfg->communities[1].line, 5);
}

static void test_config_bad_integer(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, "[vk]\ntimeout = 3x\n" ONE_COMMUNITY, 2,
                 "'timeout' must be a whole number, not '3x'");
    expect_error(fx, "[vk]\ntimeout = 1.5\n" ONE_COMMUNITY, 2, "must be a whole number");
    expect_error(fx, "[collect]\ninterval =  \"\"\n" ONE_COMMUNITY, 2, "must be a whole number");
    expect_error(fx, "[collect]\ninterval = 99999999999999999999999\n" ONE_COMMUNITY, 2,
                 "must be a whole number");
}

static void test_config_integer_out_of_bounds(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, "[vk]\ntimeout = 0\n" ONE_COMMUNITY, 2,
                 "'timeout' must be between 1 and 300, not 0");
    expect_error(fx, "[vk]\ntimeout = 301\n" ONE_COMMUNITY, 2, "between 1 and 300, not 301");
    expect_error(fx, "[collect]\ninterval = -3600\n" ONE_COMMUNITY, 2, "between 60 and 604800");
    expect_error(fx, "[collect]\nhorizon_days = 4294967297\n" ONE_COMMUNITY, 2,
                 "between 0 and 36500");
}

static void test_config_number_out_of_bounds(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, "[vk]\nrequests_per_second = 25\n" ONE_COMMUNITY, 2,
                 "'requests_per_second' must be between 0.1 and 20, not 25");
    expect_error(fx, "[vk]\nrequests_per_second = 0.05\n" ONE_COMMUNITY, 2, "between 0.1 and 20");
    expect_error(fx, "[vk]\nrequests_per_second = fast\n" ONE_COMMUNITY, 2,
                 "'requests_per_second' must be a number, not 'fast'");
    expect_error(fx, "[vk]\nrequests_per_second = nan\n" ONE_COMMUNITY, 2, "must be a number");
    expect_error(fx, "[vk]\nrequests_per_second = inf\n" ONE_COMMUNITY, 2, "must be a number");
}

static void test_config_bad_bool(void **state)
{
    expect_error(*state, "[collect]\nstats = maybe\n" ONE_COMMUNITY, 2,
                 "'stats' must be yes or no, not 'maybe'");
}

static void test_config_bad_enum(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, "[community]\ngroup = g\nkind = association\nsurvey_name = S\n", 3,
                 "'kind' must be one of rmo, community; not 'association'");
    expect_error(fx, "[region]\nlang = de\n" ONE_COMMUNITY, 2, "'lang' must be one of ru, en");
    /* Choices are exact: no case folding. */
    expect_error(fx, "[community]\ngroup = g\nkind = RMO\nsurvey_name = S\n", 3,
                 "'kind' must be one of");
}

static void test_config_empty_string(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, "[vk]\napi_version =\n" ONE_COMMUNITY, 2, "'api_version' must not be empty");
    expect_error(fx, "[vk]\ntoken_env = \"\"\n" ONE_COMMUNITY, 2, "'token_env' must not be empty");
    expect_error(fx, "[vk]\napi_url =\n" ONE_COMMUNITY, 2, "'api_url' must not be empty");
}

/* "key =   # comment": the value ends at " #" (core/ini.h), so it is empty. */
static void test_config_empty_value_before_comment(void **state)
{
    struct fixture *fx = *state;
    const char *path = write_tmp(fx, "[vk]\ntoken_file =   # unused\n" ONE_COMMUNITY);
    int rc = config_load(path, &fx->cfg, fx->err, sizeof fx->err);

    assert_int_equal(rc, 0);
    assert_string_equal(fx->cfg->token_file, "");
}

static void test_config_http_non_loopback_refused(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, "[vk]\napi_url = http://api.vk.com/method\n" ONE_COMMUNITY, 2,
                 "must use https");
    expect_error(fx, "[vk]\napi_url = http://10.0.0.1:8080/method\n" ONE_COMMUNITY, 2,
                 "must use https");
    /* A host that only starts like a loopback address is not one. */
    expect_error(fx, "[vk]\napi_url = http://127.0.0.1.evil.example/method\n" ONE_COMMUNITY, 2,
                 "must use https");
    expect_error(fx, "[vk]\napi_url = ftp://api.vk.com/method\n" ONE_COMMUNITY, 2,
                 "must start with https://");
    expect_error(fx, "[vk]\napi_url = https:///method\n" ONE_COMMUNITY, 2, "has no host");
}

/* User info, a query or a fragment can make a URL look like loopback to a
 * naive reader but not to curl, which would then send the token in clear to
 * another machine. */
static void test_config_url_with_userinfo_refused(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, "[vk]\napi_url = http://localhost:80@evil.example/method\n" ONE_COMMUNITY, 2,
                 "must use https");
    expect_error(fx, "[vk]\napi_url = http://127.0.0.1@evil.example/method\n" ONE_COMMUNITY, 2,
                 "must use https");
    expect_error(fx, "[vk]\napi_url = http://evil.example#@127.0.0.1/method\n" ONE_COMMUNITY, 2,
                 "must use https");
    expect_error(fx, "[vk]\napi_url = http://evil.example?@127.0.0.1/method\n" ONE_COMMUNITY, 2,
                 "must use https");
    expect_error(fx, "[vk]\napi_url = http://localhost\\@evil.example/method\n" ONE_COMMUNITY, 2,
                 "must not contain spaces or backslashes");
}

static void test_config_missing_community_key(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, ONE_COMMUNITY "\n[community]\ngroup = g2\nkind = rmo\n", 6,
                 "this [community] has no 'survey_name'");
    expect_error(fx, "[vk]\n\n[community]\nkind = rmo\nsurvey_name = S\n", 3, "has no 'group'");
    expect_error(fx, "[community]\ngroup = g\nsurvey_name = S\n", 1, "has no 'kind'");
}

static void test_config_no_community(void **state)
{
    struct fixture *fx = *state;
    const char *path = write_tmp(fx, "[vk]\ntimeout = 5\n");
    struct config *cfg = NULL;
    char prefix[256];

    assert_int_equal(config_load(path, &cfg, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(cfg);
    /* A whole-file problem has no line; the message still starts with the file. */
    snprintf(prefix, sizeof prefix, "%s: ", path);
    assert_int_equal(strncmp(fx->err, prefix, strlen(prefix)), 0);
    assert_non_null(strstr(fx->err, "no [community] section"));
}

static void test_config_empty_file(void **state)
{
    struct fixture *fx = *state;
    const char *path = write_tmp(fx, "");
    struct config *cfg = NULL;

    assert_int_equal(config_load(path, &cfg, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(cfg);
    assert_non_null(strstr(fx->err, path));
    assert_non_null(strstr(fx->err, "no [community] section"));
}

static void test_config_duplicate_group(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, ONE_COMMUNITY "[community]\ngroup = g1\nkind = community\nsurvey_name = T\n",
                 5, "group 'g1' is already listed at line 1");
    /* VK screen names are case-insensitive. */
    expect_error(fx, ONE_COMMUNITY "[community]\ngroup = G1\nkind = community\nsurvey_name = T\n",
                 5, "group 'G1' is already listed at line 1");
}

static void test_config_malformed_line(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, ONE_COMMUNITY "timeout 30\n", 5, "expected 'key = value'");
    expect_error(fx, "[vk]\n= 30\n" ONE_COMMUNITY, 2, "missing key before '='");
    expect_error(fx, "[vk\ntimeout = 30\n" ONE_COMMUNITY, 1, "without a closing ']'");
    expect_error(fx, "[vk] x\n" ONE_COMMUNITY, 1, "without a closing ']'");
    expect_error(fx, "[  ]\n" ONE_COMMUNITY, 1, "empty section name");
}

static void test_config_unterminated_quote(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, ONE_COMMUNITY "[vk]\ntoken_env = \"ABC\n", 6,
                 "unterminated or malformed quoted value");
    expect_error(fx, "[vk]\ntoken_env = \"ABC\" DEF\n" ONE_COMMUNITY, 2,
                 "unterminated or malformed quoted value");
    expect_error(fx, "[vk]\ntoken_env = \"ABC\\\"\n" ONE_COMMUNITY, 2,
                 "unterminated or malformed quoted value");
}

static void test_config_invalid_utf8(void **state)
{
    struct fixture *fx = *state;
    /* A CP1251 "Педагоги" on line 4: the usual way a Windows editor breaks the file. */
    static const char text[] = "[community]\ngroup = g\nkind = rmo\n"
                               "survey_name = \xCF\xE5\xE4\xE0\xE3\xEE\xE3\xE8\n";
    const char *path = write_tmp_n(fx, text, sizeof text - 1);
    struct config *cfg = NULL;
    char prefix[256];

    assert_int_equal(config_load(path, &cfg, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(cfg);
    assert_non_null(strstr(fx->err, path));
    assert_non_null(strstr(fx->err, "UTF-8"));
    snprintf(prefix, sizeof prefix, "%s:4: ", path);
    assert_int_equal(strncmp(fx->err, prefix, strlen(prefix)), 0);
    /* and the column, with the byte (issue 22: a stray byte had no position) */
    assert_non_null(strstr(fx->err, ":4: column 15: byte 0xcf is not valid UTF-8"));
}

static void test_config_nul_byte(void **state)
{
    struct fixture *fx = *state;
    static const char text[] = "[community]\ngroup = g\0\nkind = rmo\nsurvey_name = S\n";
    const char *path = write_tmp_n(fx, text, sizeof text - 1);
    struct config *cfg = NULL;

    assert_int_equal(config_load(path, &cfg, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(cfg);
    assert_non_null(strstr(fx->err, path));
    assert_non_null(strstr(fx->err, "NUL"));
}

static void test_config_first_error_wins(void **state)
{
    expect_error(*state, "[vk]\ntimeout = 0\nexecute = maybe\n" ONE_COMMUNITY, 2, "'timeout'");
}

/* A file that cannot be read is an I/O error (config.h: VKP_EIO), named with its path. */
static void test_config_unreadable_file(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg = NULL;

    assert_int_equal(
        config_load("/tmp/vkp_test_config_does_not_exist.ini", &cfg, fx->err, sizeof fx->err),
        VKP_EIO);
    assert_null(cfg);
    assert_non_null(strstr(fx->err, "'/tmp/vkp_test_config_does_not_exist.ini'"));
    assert_non_null(strstr(fx->err, strerror(ENOENT)));

    /* A directory opens but cannot be read (and root reads any file, so
     * permissions cannot make one unreadable here). */
    assert_int_equal(config_load("/tmp", &cfg, fx->err, sizeof fx->err), VKP_EIO);
    assert_null(cfg);
    assert_non_null(strstr(fx->err, "'/tmp'"));
}

static void test_config_control_character_refused(void **state)
{
    expect_error(*state, "[community]\ngroup = g1\033[2J\nkind = rmo\nsurvey_name = Survey one\n",
                 2, "'group' holds a control character (byte 0x1b)");
}

static void test_config_alert_defaults(void **state)
{
    struct config *cfg = load_ok(*state, ONE_COMMUNITY);
    assert_true(config_number(cfg, "alerts", "no_posts_days") == 14);
    assert_true(config_number(cfg, "alerts", "no_reactions_days") == 14);
    assert_true(config_number(cfg, "alerts", "members_drop_percent") == 5.0);
    assert_true(config_number(cfg, "alerts", "engagement_factor") == 0.5);
    assert_true(config_number(cfg, "alerts", "baseline_weeks") == 4);
    assert_true(config_number(cfg, "alerts", "stale_hours") == 48);
    assert_true(config_number(cfg, "alerts", "failed_runs") == 3);
    assert_true(config_number(cfg, "alerts", "token_rejected") == 1);
    assert_true(config_number(cfg, "alerts", "retry_max_minutes") == 60);
    assert_true(isnan(config_number(cfg, "alerts", "no_such_key")));
    assert_true(isnan(config_number(cfg, "region", "lang")));
    assert_string_equal(cfg->report_weekday, "mon");
    assert_int_equal(cfg->report_hour, 8);
    assert_int_equal(cfg->nchannels, 0);
}

/* The [alerts] thresholds live in numbered slots: each in range and none shared, and a
 * file's whole number or yes/no reads back as a number. */
static void test_config_alert_slots(void **state)
{
    for (size_t i = 0; i < config_nkeys; i++) {
        const struct key_def *k = &config_keys[i];
        if (strcmp(k->section, "community") == 0 || strcmp(k->section, "channel") == 0)
            continue;
        if (strcmp(k->section, "alerts") == 0 && strcmp(k->key, "retry_max_minutes") != 0)
            assert_true(config_key_in_slots(k));
        for (size_t j = 0; j < i; j++)
            if (strcmp(config_keys[j].section, "community") != 0 &&
                strcmp(config_keys[j].section, "channel") != 0 &&
                config_keys[j].offset == k->offset)
                fail_msg("[%s] %s and [%s] %s share their storage", config_keys[j].section,
                         config_keys[j].key, k->section, k->key);
    }
    struct config *cfg =
        load_ok(*state, ONE_COMMUNITY "[alerts]\nno_posts_days = 7\ntoken_rejected = no\n"
                                      "members_drop_percent = 2.5\n");
    assert_true(config_number(cfg, "alerts", "no_posts_days") == 7);
    assert_true(config_number(cfg, "alerts", "token_rejected") == 0);
    assert_true(config_number(cfg, "alerts", "members_drop_percent") == 2.5);
    assert_true(config_number(cfg, "alerts", "no_reactions_days") == 14);
}

static void test_config_channels(void **state)
{
    struct config *cfg =
        load_ok(*state, "[region]\nlang = en\n" ONE_COMMUNITY "[channel]\ntype = stdout\n"
                        "[channel]\ntype = webhook\nformat = telegram\n"
                        "url = https://api.telegram.org/botX/sendMessage\n"
                        "chat_id = -100\nlang = ru\n"
                        "[channel]\ntype = email\nsmtp_url = smtp://mx.example.org\n"
                        "from = a@example.org\nto = b@example.org\n"
                        "user = u\npassword = p\n");
    assert_int_equal(cfg->nchannels, 3);
    assert_int_equal(cfg->channels[0].type, CHANNEL_STDOUT);
    assert_string_equal(config_channel_lang(cfg, &cfg->channels[0]), "en");
    assert_int_equal(cfg->channels[0].timeout, 30);
    assert_string_equal(cfg->channels[0].url, "");
    assert_int_equal(cfg->channels[1].type, CHANNEL_WEBHOOK);
    assert_string_equal(cfg->channels[1].format, "telegram");
    assert_string_equal(config_channel_lang(cfg, &cfg->channels[1]), "ru");
    assert_int_equal(cfg->channels[2].type, CHANNEL_EMAIL);
    assert_string_equal(cfg->channels[2].password, "p");
    assert_int_equal(cfg->channels[2].line, 15);
}

static void test_config_channel_incomplete(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, ONE_COMMUNITY "[channel]\nformat = slack\n", 5,
                 "this [channel] has no 'type'");
    expect_error(fx, ONE_COMMUNITY "[channel]\ntype = webhook\n", 5,
                 "[channel] of type webhook has no 'url'");
    expect_error(
        fx, ONE_COMMUNITY "[channel]\ntype = webhook\nformat = telegram\nurl = https://x.org/\n", 5,
        "has no 'chat_id'");
    expect_error(fx,
                 ONE_COMMUNITY "[channel]\ntype = email\nsmtp_url = smtps://x.org\nto = a@b.c\n", 5,
                 "has no 'from'");
    expect_error(fx,
                 ONE_COMMUNITY "[channel]\ntype = email\nsmtp_url = smtps://x.org\n"
                               "from = a@b.c\nto = <a@b.c>\n",
                 9, "'to': '<a@b.c>' is not a bare address");
    expect_error(fx, ONE_COMMUNITY "[channel]\ntype = pigeon\n", 6,
                 "'type' must be one of webhook, email, stdout; not 'pigeon'");
}

static void test_config_webhook_url_is_secret(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx,
                 ONE_COMMUNITY "[channel]\ntype = webhook\nurl = http://hooks.example.org/KEY123\n",
                 7, "url '(hidden)' must use https");
    assert_null(strstr(fx->err, "KEY123"));
    expect_error(fx, ONE_COMMUNITY "[channel]\ntype = webhook\nurl = ftp://x/KEY123\n", 7,
                 "must start with https:// or http://");
    assert_null(strstr(fx->err, "KEY123"));
    struct config *cfg = load_ok(fx, ONE_COMMUNITY "[channel]\ntype = webhook\n"
                                                   "url = http://127.0.0.1:9/KEY123\n");
    assert_true(config_is_loopback_url(cfg->channels[0].url));
    assert_false(config_is_loopback_url("https://user@hooks.example.org/x"));
    assert_true(config_is_loopback_url("smtp://localhost:25"));
}

static void test_config_alert_bounds(void **state)
{
    struct fixture *fx = *state;
    expect_error(fx, "[alerts]\nengagement_factor = 1.5\n" ONE_COMMUNITY, 2,
                 "'engagement_factor' must be between 0 and 1");
    expect_error(fx, "[service]\nreport_weekday = monday\n" ONE_COMMUNITY, 2,
                 "'report_weekday' must be one of off, mon");
    expect_error(fx, "[service]\nreport_hour = 24\n" ONE_COMMUNITY, 2,
                 "'report_hour' must be between 0 and 23");
}

/* config_load_string: the same loader from memory (the fuzz target's path). */
static void test_config_load_string(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg = NULL;

    assert_int_equal(config_load_string("/etc/vkpulse/x.ini",
                                        "[database]\npath = data/v.db\n" ONE_COMMUNITY, &cfg,
                                        fx->err, sizeof fx->err),
                     0);
    assert_string_equal(cfg->path, "/etc/vkpulse/x.ini");
    assert_string_equal(cfg->db_path, "/etc/vkpulse/data/v.db");
    assert_int_equal(cfg->ncommunities, 1);
    config_free(cfg);
    cfg = (struct config *)0x1;
    assert_int_equal(config_load_string("mem.ini", "[vk]\ntimeout = 0\n" ONE_COMMUNITY, &cfg,
                                        fx->err, sizeof fx->err),
                     VKP_ECONFIG);
    assert_null(cfg);
    assert_non_null(strstr(fx->err, "mem.ini:2: 'timeout' must be between 1 and 300"));
}

/* ---- what only the system can judge ------------------------------------------------ */

/* Values only the system can judge: the zone must be in the zoneinfo directory
 * and the group must exist; report_url takes https like every other URL. */
static void test_config_system_values(void **state)
{
    static const struct {
        const char *text;
        int line;
        const char *what;
    } bad[] = {
        {ONE_COMMUNITY "[region]\ntimezone = Asia/Yekaterinburgg\n", 6,
         "unknown time zone 'Asia/Yekaterinburgg'"},
        {"[region]\n\ntimezone = ../../etc/passwd\n" ONE_COMMUNITY, 3, "is not a time zone name"},
        {ONE_COMMUNITY "[service]\nreport_group = no_such_group_vkp\n", 6,
         "no such group 'no_such_group_vkp'"},
        {ONE_COMMUNITY "[service]\nreport_url = http://example.org/r/\n", 6, "must use https"},
    };
    struct fixture *fx = *state;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_error(fx, bad[i].text, bad[i].line, bad[i].what);
    struct config *cfg = load_ok(fx, ONE_COMMUNITY "[region]\ntimezone = Europe/Moscow\n"
                                                   "[service]\nreport_group = root\n"
                                                   "report_url = https://example.org/r/\n");
    assert_string_equal(cfg->timezone, "Europe/Moscow");
    assert_string_equal(cfg->report_group, "root");
    assert_string_equal(cfg->report_url, "https://example.org/r/");
}

/* The zone is looked up where week_zone_set will look: $TZDIR. */
static void test_config_timezone_follows_tzdir(void **state)
{
    struct fixture *fx = *state;
    const char *path = write_tmp(fx, ONE_COMMUNITY);
    struct config *cfg = NULL;

    setenv("TZDIR", "/nonexistent-zoneinfo", 1);
    int rc = config_load(path, &cfg, fx->err, sizeof fx->err);
    unsetenv("TZDIR");
    assert_int_equal(rc, VKP_ECONFIG);
    assert_null(cfg);
    /* The default was not written: the message names the section and key. */
    assert_non_null(strstr(fx->err, ": [region] timezone: unknown time zone 'Asia/Yekaterinburg'"));
}

/* Command-line overrides take their bounds from the same rows. */
static void test_config_int_bounds(void **state)
{
    long lo = -1, hi = -1;
    (void)state;
    assert_int_equal(config_int_bounds("survey", "window_weeks", &lo, &hi), 0);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 520);
    assert_int_equal(config_int_bounds("privacy", "retention_months", &lo, &hi), 0);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 120);
    assert_int_equal(config_int_bounds("vk", "requests_per_second", &lo, &hi), -1);
    assert_int_equal(config_int_bounds("report", "nope", &lo, &hi), -1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_config_minimal_gets_defaults),
        T(test_config_every_key_set),
        T(test_config_example_file_loads),
        T(test_config_relative_paths_resolved),
        T(test_config_quotes_and_comments),
        T(test_config_long_cyrillic_line),
        T(test_config_bom_and_crlf),
        T(test_config_http_loopback_accepted),
        T(test_config_free_null),
        T(test_config_load_string),
        T(test_config_survey_period),
        T(test_config_unknown_key),
        T(test_config_unknown_key_in_community),
        T(test_config_unknown_section),
        T(test_config_key_outside_section),
        T(test_config_duplicate_key),
        T(test_config_duplicate_key_in_community),
        T(test_config_same_key_in_two_communities),
        T(test_config_bad_integer),
        T(test_config_integer_out_of_bounds),
        T(test_config_number_out_of_bounds),
        T(test_config_bad_bool),
        T(test_config_bad_enum),
        T(test_config_empty_string),
        T(test_config_empty_value_before_comment),
        T(test_config_http_non_loopback_refused),
        T(test_config_url_with_userinfo_refused),
        T(test_config_missing_community_key),
        T(test_config_no_community),
        T(test_config_empty_file),
        T(test_config_duplicate_group),
        T(test_config_malformed_line),
        T(test_config_unterminated_quote),
        T(test_config_invalid_utf8),
        T(test_config_nul_byte),
        T(test_config_first_error_wins),
        T(test_config_unreadable_file),
        T(test_config_control_character_refused),
        T(test_config_alert_defaults),
        T(test_config_alert_slots),
        T(test_config_channels),
        T(test_config_channel_incomplete),
        T(test_config_webhook_url_is_secret),
        T(test_config_alert_bounds),
        T(test_config_system_values),
        T(test_config_timezone_follows_tzdir),
        T(test_config_int_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
