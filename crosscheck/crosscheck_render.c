/* crosscheck_render.c: one label table (ru/en) and four writers over the cross-check result. */
#include "crosscheck_render.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crosscheck.h"
#include "err.h"
#include "muni.h"

/* ---- labels ------------------------------------------------------------------------ */

enum label {
    L_TITLE,
    L_SURVEY,
    L_WINDOW,
    L_THRESHOLDS,
    L_COVERAGE,
    L_MEMBERS,
    L_ATTRIBUTED,
    L_ROSTER,
    L_CITY,
    L_NO_CITY,
    L_OUTSIDE,
    L_DATA,
    L_COMMUNITY,
    L_MEMBER_LIST,
    L_WALL,
    L_NEVER,
    L_HIDDEN,
    L_SUMMARY,
    L_RESPONDENTS,
    L_CLAIMED,
    L_OBSERVED,
    L_Q13,
    L_Q14,
    L_Q16,
    L_Q17,
    L_IN_NONE,
    L_DONT_KNOW,
    L_NO_ANSWER,
    L_VERDICTS,
    L_FOLLOW_UP,
    L_NOTHING,
    L_MUNIS,
    L_COMMENTERS,
    L_AUTHORS,
    L_LIKERS,
    L_REPOSTERS,
    L_NAMED,
    L_NOT_NAMED,
    L_MUNICIPALITY,
    L_QUESTION,
    L_VERDICT,
    L_REASON,
    L_SURVEYED,
    L_YES,
    L_NO,
    L_UNDECODED,
    L_NOTE,
    L_NOT_IN_SURVEY,
    L_CLAIMS,
    L_OBSERVED_LC,
    L_ROSTER_STALE,
    L_INCOMPLETE_MEMBERS,
    L_INCOMPLETE_WALLS,
    L_ATTRIBUTED_MEMBERS,
    L_OF_RESPONDENTS,
    L_Q,
    L_MEMBERS_N,
    L_UNMAPPED,
    L_METHOD,
    L_BY_CITY_ID,
    L_OF_LISTED,
    NLABELS
};

/* [label][0] Russian, [1] English. */
static const char *const labels[NLABELS][2] = {
    [L_TITLE] = {"Сверка анкеты с наблюдаемым участием", "Survey cross-check"},
    [L_SURVEY] = {"анкета", "survey"},
    [L_WINDOW] = {"окно наблюдения", "observation window"},
    [L_THRESHOLDS] = {"пороги", "thresholds"},
    [L_COVERAGE] = {"Отнесение участников к муниципалитетам", "Attribution of members"},
    [L_MEMBERS] = {"участников", "members"},
    [L_ATTRIBUTED] = {"отнесено", "attributed"},
    [L_ROSTER] = {"по списку", "by roster"},
    [L_CITY] = {"по городу в профиле", "by profile city"},
    [L_NO_CITY] = {"без города в профиле", "no city in profile"},
    [L_OUTSIDE] = {"город вне области", "city outside the region"},
    [L_DATA] = {"Данные", "Data"},
    [L_COMMUNITY] = {"сообщество", "community"},
    [L_MEMBER_LIST] = {"полный список участников", "complete member list"},
    [L_WALL] = {"стена прочитана", "wall read"},
    [L_NEVER] = {"нет", "never"},
    [L_HIDDEN] = {"список участников скрыт", "member list hidden"},
    [L_SUMMARY] = {"Сводка по области", "Region summary"},
    [L_RESPONDENTS] = {"ответили", "answered"},
    [L_CLAIMED] = {"по анкете", "claimed"},
    [L_OBSERVED] = {"наблюдается", "observed"},
    [L_Q13] = {"Вопрос 13. В каких сетевых РМО участвуют педагоги",
               "Q13. Network RMOs the teachers take part in"},
    [L_Q14] = {"Вопрос 14. Характер участия педагогов в РМО",
               "Q14. Character of participation in the RMOs"},
    [L_Q16] = {"Вопрос 16. В каких сетевых сообществах участвуют педагоги",
               "Q16. Professional communities the teachers take part in"},
    [L_Q17] = {"Вопрос 17. Характер участия педагогов в сообществах",
               "Q17. Character of participation in the communities"},
    [L_IN_NONE] = {"ни в одном", "in none"},
    [L_DONT_KNOW] = {"не владеют информацией", "don't know"},
    [L_NO_ANSWER] = {"нет ответа", "no answer"},
    [L_VERDICTS] = {"Вердикты", "Verdicts"},
    [L_FOLLOW_UP] = {"Требуют уточнения", "To follow up"},
    [L_NOTHING] = {"нет", "none"},
    [L_MUNIS] = {"Муниципалитеты", "Municipalities"},
    [L_COMMENTERS] = {"комментировали", "commented"},
    [L_AUTHORS] = {"авторы постов", "authored posts"},
    [L_LIKERS] = {"отметки «нравится»", "liked"},
    [L_REPOSTERS] = {"репосты", "reposted"},
    [L_NAMED] = {"указано", "named"},
    [L_NOT_NAMED] = {"не указано", "not named"},
    [L_MUNICIPALITY] = {"муниципалитет", "municipality"},
    [L_QUESTION] = {"вопрос", "question"},
    [L_VERDICT] = {"вердикт", "verdict"},
    [L_REASON] = {"причина", "reason"},
    [L_SURVEYED] = {"в анкете", "in the survey"},
    [L_YES] = {"да", "yes"},
    [L_NO] = {"нет", "no"},
    [L_UNDECODED] = {"ответов называют сообщества, которых больше нет в конфигурации",
                     "stored answers name communities no longer in the config"},
    [L_NOTE] = {"Отметки «нравится» и репосты — более слабые признаки и показаны отдельно; у "
                "отметок «нравится» во ВКонтакте нет даты, они считаются по первому запуску, "
                "который их увидел.",
                "Likes and reposts are weaker signals, shown apart; VK gives likes no date, so "
                "they count from the run that first saw them."},
    [L_NOT_IN_SURVEY] = {"нет в анкете", "not in the survey"},
    [L_CLAIMS] = {"по анкете", "claims"},
    [L_OBSERVED_LC] = {"наблюдается", "observed"},
    [L_ROSTER_STALE] = {"записей списка называют муниципалитеты, которых нет в карте",
                        "roster entries name municipalities the map lacks"},
    [L_INCOMPLETE_MEMBERS] = {"не у всех сообществ есть полный список участников",
                              "not every community has a complete member list"},
    [L_INCOMPLETE_WALLS] = {"стены прочитаны не за всё окно",
                            "walls are not read back to the window's start"},
    [L_ATTRIBUTED_MEMBERS] = {"отнесено участников", "attributed members"},
    [L_OF_RESPONDENTS] = {"доля ответивших", "share of respondents"},
    [L_Q] = {"Вопрос ", "Q"},
    [L_MEMBERS_N] = {"участники", "members"},
    [L_UNMAPPED] = {"город области без муниципалитета в карте",
                    "city in the region, no municipality in the map"},
    [L_METHOD] = {"Метод", "Method"},
    [L_BY_CITY_ID] = {"по городу", "by city"},
    [L_OF_LISTED] = {"из", "of"},
};

static const char *const level_label[4][2] = {
    {"не участвуют", "not at all"},
    {"зарегистрированы", "registered only"},
    {"зарегистрированы и обсуждают", "registered and discuss"},
    {"предоставляют материалы", "contribute materials"},
};

static const char *const verdict_label[XC_NVERDICTS][2] = {{"подтверждается", "consistent"},
                                                           {"завышено", "overstated"},
                                                           {"занижено", "understated"},
                                                           {"не проверить", "unverifiable"},
                                                           {"не владеют информацией", "don't know"},
                                                           {"нет ответа", "no answer"},
                                                           {"нет в анкете", "not in the survey"}};

static const char *const list_label[4][2] = {{"нет ответа", "no answer"},
                                             {"указаны сообщества", "communities named"},
                                             {"ни в одном", "in none"},
                                             {"не владеют информацией", "don't know"}};

static const enum label question_label[SURVEY_NQ] = {L_Q13, L_Q14, L_Q16, L_Q17};

/* Writing state: the output and whether a write failed. */
struct out {
    FILE *f; /* destination */
    const struct crosscheck *x;
    int en;   /* label column */
    char sep; /* CSV separator */
};

#define LB(o, l) labels[l][(o)->en]

static void day(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t || !gmtime_r(&tt, &tm))
        snprintf(buf, len, "-");
    else
        strftime(buf, len, "%Y-%m-%d", &tm);
}

static double pct(size_t n, size_t of)
{
    return of ? 100.0 * (double)n / (double)of : 0;
}

/* Why a claim is unverifiable, in words. */
static void reason_text(const struct out *o, enum xc_reason r, char *buf, size_t len)
{
    const struct crosscheck *x = o->x;
    buf[0] = '\0';
    switch (r) {
    case XC_R_FEW_MEMBERS:
        snprintf(buf, len,
                 o->en ? "fewer than %d attributed members" : "меньше %d отнесённых участников",
                 x->th.min_members);
        break;
    case XC_R_LOW_COVERAGE:
        snprintf(buf, len,
                 o->en ? "only %.0f%% of members attributed (need %.0f%%)"
                       : "отнесено лишь %.0f%% участников (нужно %.0f%%)",
                 100 * x->coverage, 100 * x->th.min_coverage);
        break;
    case XC_R_NO_MEMBER_LIST:
        snprintf(buf, len, "%s", LB(o, L_INCOMPLETE_MEMBERS));
        break;
    case XC_R_NO_ACTIVITY_DATA:
        snprintf(buf, len, "%s", LB(o, L_INCOMPLETE_WALLS));
        break;
    default:
        break;
    }
}

/* The claimed side of a Q14/Q17 answer. */
static const char *claim_text(const struct out *o, const struct xc_level *l)
{
    if (l->verdict == XC_DONT_KNOW)
        return LB(o, L_DONT_KNOW);
    if (l->verdict == XC_NO_ANSWER)
        return LB(o, L_NO_ANSWER);
    if (l->verdict == XC_NOT_SURVEYED)
        return LB(o, L_NOT_IN_SURVEY);
    return level_label[l->claimed][o->en];
}

static void counts_text(const struct out *o, const struct xc_counts *n, char *buf, size_t len)
{
    snprintf(buf, len, "%s: %lld, %s: %lld, %s: %lld; %s: %lld, %s: %lld", LB(o, L_MEMBERS_N),
             (long long)n->members, LB(o, L_COMMENTERS), (long long)n->commenters, LB(o, L_AUTHORS),
             (long long)n->authors, LB(o, L_LIKERS), (long long)n->likers, LB(o, L_REPOSTERS),
             (long long)n->reposters);
}

static const char *muni_label(const struct xc_muni *xm)
{
    return xm->m->short_name ? xm->m->short_name : xm->m->name;
}

/* ---- the method, printed with every result -------------------------------------------- */

/* Lines of the method's legend; at most this many. */
#define LEGEND_LINES 6

/*
 * The method in words (README "Survey cross-check" says the same): how
 * members were placed, what each observed level needs, and when a shortfall
 * is overstated. Fills lines[] (each of len bytes) and returns how many.
 */
static size_t legend(const struct out *o, char lines[][1024], size_t len)
{
    const struct crosscheck *x = o->x;
    const struct xc_thresholds *th = &x->th;
    char when[16];
    size_t n = 0;

    day(x->directory.synced_at, when, sizeof when);
    if (x->method == ATTR_BY_DIRECTORY)
        snprintf(lines[n++], len,
                 o->en ? "Attribution: by VK's city directory of «%s» (%zu localities, %zu of them "
                         "mapped to a municipality; synced %s). A member's profile city id is "
                         "looked up in it: a locality's district gives the municipality, a city "
                         "id not in the directory lies outside the region, whatever its name. "
                         "The roster wins over the profile city."
                       : "Отнесение: по справочнику городов ВКонтакте «%s» (%zu населённых "
                         "пунктов, из них %zu отнесены к муниципалитетам; обновлён %s). Город в "
                         "профиле ищется по его id: район населённого пункта даёт муниципалитет, "
                         "id не из справочника — вне области, как бы город ни назывался. Список "
                         "педагогов важнее города в профиле.",
                 x->directory.region_title[0] ? x->directory.region_title : "-", x->localities,
                 x->mapped, when);
    else
        snprintf(lines[n++], len, "%s",
                 o->en ? "Attribution: by the title of the profile city (no city directory: run "
                         "'vkpulse region sync'). Villages the map does not list count as outside "
                         "the region and places sharing a name may be confused; read verdicts "
                         "with that in mind. The roster wins over the profile city."
                       : "Отнесение: по названию города в профиле (справочника городов нет: "
                         "выполните 'vkpulse region sync'). Сёла, которых нет в карте, считаются "
                         "вне области, одноимённые пункты могут быть спутаны; учитывайте это при "
                         "чтении вердиктов. Список педагогов важнее города в профиле.");
    snprintf(lines[n++], len,
             o->en ? "Observed level, from the members attributed to the municipality, each "
                     "counted once over the RMOs (Q13/Q14) or the communities (Q16/Q17): "
                     "contributes — at least %d of them authored a post in the window; "
                     "discusses — at least %d commented and they are at least %.0f%% of its "
                     "members there; registered — at least one is a member; not at all — none."
                   : "Наблюдаемый уровень — по участникам, отнесённым к муниципалитету, каждый "
                     "учтён один раз по РМО (вопросы 13/14) или по сообществам (16/17): "
                     "предоставляют материалы — не меньше %d из них авторы постов за окно; "
                     "обсуждают — не меньше %d комментировали, и это не меньше %.0f%% его "
                     "участников там; зарегистрированы — хотя бы один участник; не участвуют — "
                     "ни одного.",
             th->min_contributors, th->min_discussants, 100 * th->min_discussant_share);
    snprintf(lines[n++], len,
             o->en ? "Verdict, the same rule for every question (naming a community in Q13/Q16 "
                     "claims \"registered\" in it): consistent — observed equals the claim; "
                     "understated — more was observed; overstated — less was observed and the "
                     "evidence carries it; unverifiable — less was observed, but fewer than %d "
                     "members are attributed to the municipality (absence of attributed members "
                     "is no evidence), less than %.0f%% of the region's members are attributed, "
                     "a member list is incomplete, or (above \"registered\") the walls do not "
                     "cover the window."
                   : "Вердикт — одно правило для всех вопросов (указать сообщество в вопросах "
                     "13/16 — значит заявить «зарегистрированы» в нём): подтверждается — "
                     "наблюдаемое равно заявленному; занижено — наблюдается больше; завышено — "
                     "наблюдается меньше, и данных для такого вывода достаточно; не проверить — "
                     "наблюдается меньше, но к муниципалитету отнесено меньше %d участников "
                     "(отсутствие отнесённых участников — не довод), отнесено меньше %.0f%% "
                     "участников области, список участников неполон или (выше «зарегистрированы») "
                     "стены прочитаны не за всё окно.",
             th->min_members, 100 * th->min_coverage);
    return n;
}

/* The region's coverage: members, attributed, and each way of (not) placing them. */
static void coverage_text(const struct out *o, char *buf, size_t len)
{
    const struct crosscheck *x = o->x;
    snprintf(buf, len, "%lld %s; %s %lld (%.1f%%): %s %lld, %s %lld; %s %lld; %s %lld; %s %lld",
             (long long)x->members, LB(o, L_MEMBERS), LB(o, L_ATTRIBUTED),
             (long long)(x->by_source[ATTR_ROSTER] + x->by_source[ATTR_CITY]), 100 * x->coverage,
             LB(o, L_ROSTER), (long long)x->by_source[ATTR_ROSTER], LB(o, L_CITY),
             (long long)x->by_source[ATTR_CITY], LB(o, L_NO_CITY),
             (long long)x->by_source[ATTR_NO_CITY], LB(o, L_UNMAPPED),
             (long long)x->by_source[ATTR_UNMAPPED], LB(o, L_OUTSIDE),
             (long long)x->by_source[ATTR_OUTSIDE]);
}

/* A municipality's own coverage: attributed, by roster (of the roster's entries), by city. */
static void muni_coverage_text(const struct out *o, const struct xc_muni *xm, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s: %lld (%s %lld", LB(o, L_ATTRIBUTED_MEMBERS),
                     (long long)xm->attributed, LB(o, L_ROSTER), (long long)xm->by_roster);
    if (n >= 0 && (size_t)n < len && xm->roster_expected)
        n += snprintf(buf + n, len - (size_t)n, " %s %lld", LB(o, L_OF_LISTED),
                      (long long)xm->roster_expected);
    if (n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, ", %s %lld = %.0f%%)", LB(o, L_BY_CITY_ID),
                 (long long)xm->by_city, pct((size_t)xm->by_city, (size_t)xm->attributed));
}

/* ---- text --------------------------------------------------------------------------- */

static void text_header(const struct out *o)
{
    const struct crosscheck *x = o->x;
    char a[16], b[16];
    day(x->from, a, sizeof a);
    day(x->to, b, sizeof b);
    fprintf(o->f, "%s — %s %d\n", LB(o, L_TITLE), LB(o, L_SURVEY), x->year);
    fprintf(o->f, "%s: %d %s, %s – %s (UTC)\n", LB(o, L_WINDOW), x->weeks, o->en ? "weeks" : "нед.",
            a, b);
    char lines[LEGEND_LINES][1024], cov[512];
    fprintf(o->f,
            "%s: min_members %d, min_coverage %.0f%%, min_discussants %d, "
            "min_discussant_share %.0f%%, min_contributors %d\n\n",
            LB(o, L_THRESHOLDS), x->th.min_members, 100 * x->th.min_coverage, x->th.min_discussants,
            100 * x->th.min_discussant_share, x->th.min_contributors);
    fprintf(o->f, "%s\n", LB(o, L_METHOD));
    size_t nl = legend(o, lines, sizeof lines[0]);
    for (size_t i = 0; i < nl; i++)
        fprintf(o->f, "  %s\n", lines[i]);
    coverage_text(o, cov, sizeof cov);
    fprintf(o->f, "\n%s\n  %s\n", LB(o, L_COVERAGE), cov);
    if (x->roster_stale)
        fprintf(o->f, "  %zu %s\n", x->roster_stale, LB(o, L_ROSTER_STALE));
    fprintf(o->f, "\n%s\n", LB(o, L_DATA));
    for (size_t k = 0; k < x->ncomms; k++) {
        const struct xc_community *c = &x->comms[k];
        day(c->members_at, a, sizeof a);
        day(c->wall_last, b, sizeof b);
        fprintf(o->f, "  %-32s %s: %s, %s: %s, %s %lld (%s %lld)%s%s\n", c->ref,
                LB(o, L_MEMBER_LIST), c->members_at ? a : LB(o, L_NEVER), LB(o, L_WALL),
                c->wall_last ? b : LB(o, L_NEVER), LB(o, L_MEMBERS), (long long)c->members,
                LB(o, L_ATTRIBUTED), (long long)c->attributed, c->members_hidden ? "; " : "",
                c->members_hidden ? LB(o, L_HIDDEN) : "");
    }
    for (int f = 0; f < XC_NFAMILIES; f++) {
        if (!x->members_complete[f] || !x->activity_complete[f])
            fprintf(
                o->f, "  %s: %s\n", f == XC_RMO ? "RMO" : (o->en ? "communities" : "сообщества"),
                !x->members_complete[f] ? LB(o, L_INCOMPLETE_MEMBERS) : LB(o, L_INCOMPLETE_WALLS));
    }
    if (x->undecoded)
        fprintf(o->f, "  %zu %s\n", x->undecoded, LB(o, L_UNDECODED));
    fprintf(o->f, "  %s\n", LB(o, L_NOTE));
}

/* Prints s in exactly width characters (not bytes): cut with "…" or padded with spaces. */
static void put_padded(FILE *f, const char *s, size_t width)
{
    size_t n = 0, i = 0, chars = 0;
    for (const char *p = s; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    size_t keep = chars > width ? width - 1 : chars;
    while (s[i] && n < keep) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n++;
    }
    fwrite(s, 1, i, f);
    if (chars > width)
        fputs("…", f);
    for (size_t k = chars > width ? width : chars; k < width; k++)
        fputc(' ', f);
}

static void text_row(const struct out *o, const char *what, size_t claimed, const char *observed)
{
    size_t r = o->x->respondents;
    fputs("  ", o->f);
    put_padded(o->f, what, 58);
    fprintf(o->f, " %4zu %5.1f%%   %s\n", claimed, pct(claimed, r), observed);
}

static void observed_cell(size_t n, size_t of, char *buf, size_t len)
{
    snprintf(buf, len, "%4zu %5.1f%%", n, pct(n, of));
}

static void text_summary(const struct out *o)
{
    const struct crosscheck *x = o->x;
    const struct xc_summary *s = &x->sum;
    char obs[64], name[512];

    fprintf(o->f, "\n%s: %s %zu / %zu\n", LB(o, L_SUMMARY), LB(o, L_RESPONDENTS), x->respondents,
            x->nmunis);
    for (int f = 0; f < XC_NFAMILIES; f++) {
        fprintf(o->f, "\n%s\n  ", LB(o, question_label[f ? SURVEY_Q16 : SURVEY_Q13]));
        put_padded(o->f, "", 58);
        fputc(' ', o->f);
        put_padded(o->f, LB(o, L_CLAIMED), 14);
        fprintf(o->f, "%s\n", LB(o, L_OBSERVED));
        for (size_t k = 0; k < x->ncomms; k++) {
            if (x->comms[k].family != (enum xc_family)f)
                continue;
            snprintf(name, sizeof name, "«%s»", x->comms[k].survey_name);
            observed_cell(s->observed_comm[k], x->respondents, obs, sizeof obs);
            text_row(o, name, s->claimed_comm[k], obs);
        }
        observed_cell(s->observed_none[f], x->respondents, obs, sizeof obs);
        text_row(o, LB(o, L_IN_NONE), s->list[f][XC_LIST_NONE], obs);
        text_row(o, LB(o, L_DONT_KNOW), s->list[f][XC_LIST_DONT_KNOW], "");
        text_row(o, LB(o, L_NO_ANSWER), s->list[f][XC_LIST_NO_ANSWER], "");
        fprintf(o->f, "\n%s\n  ", LB(o, question_label[f ? SURVEY_Q17 : SURVEY_Q14]));
        put_padded(o->f, "", 58);
        fputc(' ', o->f);
        put_padded(o->f, LB(o, L_CLAIMED), 14);
        fprintf(o->f, "%s\n", LB(o, L_OBSERVED));
        for (int l = LEVEL_REGISTERED; l <= LEVEL_CONTRIBUTES + 1; l++) {
            int lv = l > LEVEL_CONTRIBUTES ? LEVEL_NONE : l;
            observed_cell(s->observed_level[f][lv], x->respondents, obs, sizeof obs);
            text_row(o, level_label[lv][o->en], s->claimed_level[f][lv], obs);
        }
        text_row(o, LB(o, L_DONT_KNOW), s->level_dont_know[f], "");
        text_row(o, LB(o, L_NO_ANSWER), s->level_no_answer[f], "");
    }
    fprintf(o->f, "\n%s (13 / 14 / 16 / 17)\n", LB(o, L_VERDICTS));
    for (int v = 0; v < XC_NVERDICTS; v++) {
        fputs("  ", o->f);
        put_padded(o->f, verdict_label[v][o->en], 24);
        fprintf(o->f, " %4zu %4zu %4zu %4zu\n", s->verdicts[SURVEY_Q13][v],
                s->verdicts[SURVEY_Q14][v], s->verdicts[SURVEY_Q16][v], s->verdicts[SURVEY_Q17][v]);
    }
}

/* One municipality's lines; only_follow_up keeps the ones that call for a question. */
static void text_muni(const struct out *o, const struct xc_muni *xm, int only_follow_up)
{
    const struct crosscheck *x = o->x;
    static const enum survey_q lq[2] = {SURVEY_Q14, SURVEY_Q17}, mq[2] = {SURVEY_Q13, SURVEY_Q16};
    char counts[512], why[256], cov[256];

    muni_coverage_text(o, xm, cov, sizeof cov);
    if (only_follow_up) /* the coverage goes beside the verdicts it qualifies */
        fprintf(o->f, "  %s — %s\n", muni_label(xm), cov);
    else
        fprintf(o->f, "\n%s — %s%s%s\n", muni_label(xm), cov, xm->surveyed ? "" : "; ",
                xm->surveyed ? "" : LB(o, L_NOT_IN_SURVEY));
    for (int f = 0; f < XC_NFAMILIES; f++) {
        const struct xc_level *l = &xm->level[f];
        int show = !only_follow_up || l->verdict == XC_OVERSTATED || l->verdict == XC_UNDERSTATED ||
                   l->verdict == XC_DONT_KNOW || l->verdict == XC_NOT_SURVEYED;
        if (show) {
            counts_text(o, &l->n, counts, sizeof counts);
            reason_text(o, l->reason, why, sizeof why);
            int level_claim = l->verdict <= XC_UNVERIFIABLE;
            fprintf(o->f, "  %s%s%s%s: %s%s%s, %s %s (%s)", only_follow_up ? muni_label(xm) : "",
                    only_follow_up ? ": " : "", LB(o, L_Q), survey_question_number(lq[f]),
                    level_claim ? LB(o, L_CLAIMS) : "", level_claim ? " " : "", claim_text(o, l),
                    LB(o, L_OBSERVED_LC), level_label[l->observed][o->en], counts);
            if (level_claim)
                fprintf(o->f, " — %s%s%s", verdict_label[l->verdict][o->en], why[0] ? ": " : "",
                        why);
            fputc('\n', o->f);
        }
        for (size_t k = 0; k < x->ncomms; k++) {
            const struct xc_membership *mb = &xm->comm[k];
            if (x->comms[k].family != (enum xc_family)f)
                continue;
            if (only_follow_up ? mb->verdict != XC_OVERSTATED && mb->verdict != XC_UNDERSTATED
                               : !mb->claimed && !mb->n.members && mb->verdict < XC_DONT_KNOW)
                continue;
            if (only_follow_up && xm->surveyed == 0)
                continue;
            reason_text(o, mb->reason, why, sizeof why);
            counts_text(o, &mb->n, counts, sizeof counts);
            fprintf(o->f, "  %s%s%s%s «%s»: %s (%s) — %s%s%s\n",
                    only_follow_up ? muni_label(xm) : "", only_follow_up ? ": " : "", LB(o, L_Q),
                    survey_question_number(mq[f]), x->comms[k].survey_name,
                    mb->claimed ? LB(o, L_NAMED) : LB(o, L_NOT_NAMED), counts,
                    verdict_label[mb->verdict][o->en], why[0] ? ": " : "", why);
        }
    }
}

static void render_text(const struct out *o)
{
    const struct crosscheck *x = o->x;
    size_t nf = 0;

    text_header(o);
    text_summary(o);
    for (size_t i = 0; i < x->nmunis; i++)
        nf += x->munis[i].follow_up;
    fprintf(o->f, "\n%s: %zu\n", LB(o, L_FOLLOW_UP), nf);
    for (size_t i = 0; i < x->nmunis; i++)
        if (x->munis[i].follow_up)
            text_muni(o, &x->munis[i], 1);
    fprintf(o->f, "\n%s\n", LB(o, L_MUNIS));
    for (size_t i = 0; i < x->nmunis; i++)
        text_muni(o, &x->munis[i], 0);
}

/* ---- csv ------------------------------------------------------------------------------ */

static void csv_cell(const struct out *o, const char *s, int last)
{
    if (strchr(s, o->sep) || strpbrk(s, "\"\r\n")) {
        fputc('"', o->f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', o->f);
            fputc(*s, o->f);
        }
        fputc('"', o->f);
    } else {
        fputs(s, o->f);
    }
    fputs(last ? "\r\n" : (char[]){o->sep, '\0'}, o->f);
}

static void csv_num(const struct out *o, long long v, int last)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    csv_cell(o, b, last);
}

static void csv_row(const struct out *o, const struct xc_muni *xm, enum survey_q q,
                    const char *community, const char *claimed, enum survey_level observed,
                    enum xc_verdict v, enum xc_reason r, const struct xc_counts *n)
{
    char why[256];
    reason_text(o, r, why, sizeof why);
    csv_cell(o, muni_label(xm), 0);
    csv_cell(o, xm->surveyed ? LB(o, L_YES) : LB(o, L_NO), 0);
    csv_cell(o, survey_question_number(q), 0);
    csv_cell(o, community, 0);
    csv_cell(o, claimed, 0);
    csv_cell(o, level_label[observed][o->en], 0);
    csv_cell(o, verdict_label[v][o->en], 0);
    csv_cell(o, why, 0);
    csv_num(o, n->members, 0);
    csv_num(o, n->commenters, 0);
    csv_num(o, n->authors, 0);
    csv_num(o, n->likers, 0);
    csv_num(o, n->reposters, 0);
    csv_num(o, xm->attributed, 0);
    csv_num(o, xm->by_roster, 0);
    csv_num(o, xm->roster_expected, 0);
    csv_num(o, xm->by_city, 1);
}

static void render_csv(const struct out *o)
{
    const struct crosscheck *x = o->x;
    static const enum survey_q lq[2] = {SURVEY_Q14, SURVEY_Q17}, mq[2] = {SURVEY_Q13, SURVEY_Q16};
    const enum label head[] = {L_MUNICIPALITY, L_SURVEYED,           L_QUESTION, L_COMMUNITY,
                               L_CLAIMED,      L_OBSERVED,           L_VERDICT,  L_REASON,
                               L_MEMBERS_N,    L_COMMENTERS,         L_AUTHORS,  L_LIKERS,
                               L_REPOSTERS,    L_ATTRIBUTED_MEMBERS, L_ROSTER,   L_OF_LISTED,
                               L_BY_CITY_ID};
    const size_t nhead = sizeof head / sizeof head[0];
    char lines[LEGEND_LINES][1024], line[1100];

    fputs("\xEF\xBB\xBF", o->f);
    /* The method heads the sheet: one quoted cell per line, so that a
     * spreadsheet shows it whole and a script can skip lines starting '#'. */
    size_t nl = legend(o, lines, sizeof lines[0]);
    for (size_t i = 0; i < nl; i++) {
        snprintf(line, sizeof line, "# %s", lines[i]);
        csv_cell(o, line, 1);
    }
    for (size_t i = 0; i < nhead; i++)
        csv_cell(o, LB(o, head[i]), i + 1 == nhead);
    for (size_t i = 0; i < x->nmunis; i++) {
        const struct xc_muni *xm = &x->munis[i];
        for (int f = 0; f < XC_NFAMILIES; f++) {
            const struct xc_level *l = &xm->level[f];
            for (size_t k = 0; k < x->ncomms; k++) {
                const struct xc_membership *mb = &xm->comm[k];
                if (x->comms[k].family != (enum xc_family)f)
                    continue;
                const char *claimed = xm->list[f] == XC_LIST_NAMED
                                          ? (mb->claimed ? LB(o, L_NAMED) : LB(o, L_NOT_NAMED))
                                      : xm->surveyed ? list_label[xm->list[f]][o->en]
                                                     : LB(o, L_NOT_IN_SURVEY);
                csv_row(o, xm, mq[f], x->comms[k].survey_name, claimed,
                        xc_observed_level(&mb->n, &x->th), mb->verdict, mb->reason, &mb->n);
            }
            csv_row(o, xm, lq[f], "", claim_text(o, l), l->observed, l->verdict, l->reason, &l->n);
        }
    }
}

/* ---- json ------------------------------------------------------------------------------- */

static cJSON *json_counts(cJSON *obj, const struct xc_counts *n)
{
    cJSON_AddNumberToObject(obj, "members", (double)n->members);
    cJSON_AddNumberToObject(obj, "commenters", (double)n->commenters);
    cJSON_AddNumberToObject(obj, "authors", (double)n->authors);
    cJSON_AddNumberToObject(obj, "likers", (double)n->likers);
    cJSON_AddNumberToObject(obj, "reposters", (double)n->reposters);
    return obj;
}

static void json_time(cJSON *obj, const char *key, int64_t t)
{
    char b[16];
    if (!t) {
        cJSON_AddNullToObject(obj, key);
        return;
    }
    day(t, b, sizeof b);
    cJSON_AddStringToObject(obj, key, b);
}

static const char *const list_names[4] = {"no_answer", "named", "none", "dont_know"};

static cJSON *json_build(const struct out *out)
{
    const struct crosscheck *x = out->x;
    static const char *const fam_key[2][2] = {{"q13", "q14"}, {"q16", "q17"}};
    cJSON *root = cJSON_CreateObject(), *o, *a, *e;
    char b[16];

    cJSON_AddStringToObject(root, "schema", XC_JSON_SCHEMA);
    cJSON_AddNumberToObject(root, "year", x->year);
    o = cJSON_AddObjectToObject(root, "window");
    cJSON_AddNumberToObject(o, "weeks", x->weeks);
    cJSON_AddNumberToObject(o, "from", (double)x->from);
    cJSON_AddNumberToObject(o, "to", (double)x->to);
    day(x->from, b, sizeof b);
    cJSON_AddStringToObject(o, "from_date", b);
    day(x->to, b, sizeof b);
    cJSON_AddStringToObject(o, "to_date", b);
    o = cJSON_AddObjectToObject(root, "thresholds");
    cJSON_AddNumberToObject(o, "min_members", x->th.min_members);
    cJSON_AddNumberToObject(o, "min_coverage", x->th.min_coverage);
    cJSON_AddNumberToObject(o, "min_discussants", x->th.min_discussants);
    cJSON_AddNumberToObject(o, "min_discussant_share", x->th.min_discussant_share);
    cJSON_AddNumberToObject(o, "min_contributors", x->th.min_contributors);
    o = cJSON_AddObjectToObject(root, "method");
    cJSON_AddStringToObject(o, "attribution", attr_method_name(x->method));
    if (x->method == ATTR_BY_DIRECTORY) {
        cJSON *d = cJSON_AddObjectToObject(o, "directory");
        cJSON_AddNumberToObject(d, "region_id", (double)x->directory.region_id);
        cJSON_AddStringToObject(d, "region", x->directory.region_title);
        json_time(d, "synced", x->directory.synced_at);
        cJSON_AddNumberToObject(d, "localities", (double)x->localities);
        cJSON_AddNumberToObject(d, "mapped", (double)x->mapped);
    } else {
        cJSON_AddNullToObject(o, "directory");
    }
    cJSON *lg = cJSON_AddArrayToObject(o, "legend");
    char lines[LEGEND_LINES][1024];
    size_t nl = legend(out, lines, sizeof lines[0]); /* in --lang: it is text for people */
    for (size_t i = 0; i < nl; i++)
        cJSON_AddItemToArray(lg, cJSON_CreateString(lines[i]));
    o = cJSON_AddObjectToObject(root, "coverage");
    cJSON_AddNumberToObject(o, "members", (double)x->members);
    for (int s = 0; s < ATTR_NSOURCES; s++)
        cJSON_AddNumberToObject(o, attr_source_name((enum attr_source)s), (double)x->by_source[s]);
    cJSON_AddNumberToObject(o, "attributed_share", x->coverage);
    cJSON_AddNumberToObject(o, "roster_entries", (double)x->roster);
    cJSON_AddNumberToObject(o, "roster_stale", (double)x->roster_stale);
    o = cJSON_AddObjectToObject(root, "data");
    cJSON_AddBoolToObject(o, "rmo_member_lists_complete", x->members_complete[XC_RMO]);
    cJSON_AddBoolToObject(o, "rmo_walls_complete", x->activity_complete[XC_RMO]);
    cJSON_AddBoolToObject(o, "community_member_lists_complete", x->members_complete[XC_PROF]);
    cJSON_AddBoolToObject(o, "community_walls_complete", x->activity_complete[XC_PROF]);
    cJSON_AddNumberToObject(o, "undecoded_answers", (double)x->undecoded);
    a = cJSON_AddArrayToObject(root, "communities");
    for (size_t k = 0; k < x->ncomms; k++) {
        const struct xc_community *c = &x->comms[k];
        cJSON_AddItemToArray(a, e = cJSON_CreateObject());
        cJSON_AddStringToObject(e, "ref", c->ref);
        cJSON_AddStringToObject(e, "kind", c->family == XC_RMO ? "rmo" : "community");
        cJSON_AddStringToObject(e, "survey_name", c->survey_name);
        cJSON_AddNumberToObject(e, "members", (double)c->members);
        cJSON_AddNumberToObject(e, "members_attributed", (double)c->attributed);
        json_time(e, "member_list_at", c->members_at);
        cJSON_AddBoolToObject(e, "member_list_hidden", c->members_hidden);
        json_time(e, "wall_first", c->wall_first);
        json_time(e, "wall_last", c->wall_last);
    }
    o = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(o, "respondents", (double)x->respondents);
    cJSON_AddNumberToObject(o, "municipalities", (double)x->nmunis);
    for (int f = 0; f < XC_NFAMILIES; f++) {
        cJSON *q = cJSON_AddObjectToObject(o, fam_key[f][0]), *cl, *ob;
        cl = cJSON_AddObjectToObject(q, "claimed");
        ob = cJSON_AddObjectToObject(q, "observed");
        for (size_t k = 0; k < x->ncomms; k++) {
            if (x->comms[k].family != (enum xc_family)f)
                continue;
            cJSON_AddNumberToObject(cl, x->comms[k].ref, (double)x->sum.claimed_comm[k]);
            cJSON_AddNumberToObject(ob, x->comms[k].ref, (double)x->sum.observed_comm[k]);
        }
        cJSON_AddNumberToObject(cl, "none", (double)x->sum.list[f][XC_LIST_NONE]);
        cJSON_AddNumberToObject(cl, "dont_know", (double)x->sum.list[f][XC_LIST_DONT_KNOW]);
        cJSON_AddNumberToObject(cl, "no_answer", (double)x->sum.list[f][XC_LIST_NO_ANSWER]);
        cJSON_AddNumberToObject(ob, "none", (double)x->sum.observed_none[f]);
        q = cJSON_AddObjectToObject(o, fam_key[f][1]);
        cl = cJSON_AddObjectToObject(q, "claimed");
        ob = cJSON_AddObjectToObject(q, "observed");
        for (int l = 0; l < 4; l++) {
            cJSON_AddNumberToObject(cl, xc_level_name((enum survey_level)l),
                                    (double)x->sum.claimed_level[f][l]);
            cJSON_AddNumberToObject(ob, xc_level_name((enum survey_level)l),
                                    (double)x->sum.observed_level[f][l]);
        }
        cJSON_AddNumberToObject(cl, "dont_know", (double)x->sum.level_dont_know[f]);
        cJSON_AddNumberToObject(cl, "no_answer", (double)x->sum.level_no_answer[f]);
    }
    cJSON *vs = cJSON_AddObjectToObject(o, "verdicts");
    for (int q = 0; q < SURVEY_NQ; q++) {
        cJSON *vq = cJSON_AddObjectToObject(vs, survey_question_number((enum survey_q)q));
        for (int v = 0; v < XC_NVERDICTS; v++)
            cJSON_AddNumberToObject(vq, xc_verdict_name((enum xc_verdict)v),
                                    (double)x->sum.verdicts[q][v]);
    }
    a = cJSON_AddArrayToObject(root, "municipalities");
    cJSON *fu = cJSON_AddArrayToObject(root, "follow_up");
    for (size_t i = 0; i < x->nmunis; i++) {
        const struct xc_muni *xm = &x->munis[i];
        cJSON_AddItemToArray(a, e = cJSON_CreateObject());
        cJSON_AddStringToObject(e, "name", xm->m->name);
        cJSON_AddStringToObject(e, "short_name", muni_label(xm));
        cJSON_AddBoolToObject(e, "surveyed", xm->surveyed);
        cJSON_AddNumberToObject(e, "attributed_members", (double)xm->attributed);
        cJSON_AddNumberToObject(e, "by_roster", (double)xm->by_roster);
        cJSON_AddNumberToObject(e, "roster_expected", (double)xm->roster_expected);
        cJSON_AddNumberToObject(e, "by_city", (double)xm->by_city);
        cJSON_AddBoolToObject(e, "follow_up", xm->follow_up);
        if (xm->follow_up)
            cJSON_AddItemToArray(fu, cJSON_CreateString(xm->m->name));
        for (int f = 0; f < XC_NFAMILIES; f++) {
            const struct xc_level *l = &xm->level[f];
            cJSON *lq = cJSON_AddObjectToObject(e, fam_key[f][1]);
            cJSON *mq = cJSON_AddObjectToObject(e, fam_key[f][0]);
            cJSON_AddStringToObject(lq, "verdict", xc_verdict_name(l->verdict));
            if (l->verdict == XC_UNVERIFIABLE)
                cJSON_AddStringToObject(lq, "reason", xc_reason_name(l->reason));
            else
                cJSON_AddNullToObject(lq, "reason");
            if (l->verdict <= XC_UNVERIFIABLE)
                cJSON_AddStringToObject(lq, "claimed", xc_level_name(l->claimed));
            else
                cJSON_AddNullToObject(lq, "claimed");
            cJSON_AddStringToObject(lq, "observed", xc_level_name(l->observed));
            json_counts(lq, &l->n);
            cJSON_AddStringToObject(mq, "answer", list_names[xm->list[f]]);
            cJSON *cs = cJSON_AddArrayToObject(mq, "communities");
            for (size_t k = 0; k < x->ncomms; k++) {
                const struct xc_membership *mb = &xm->comm[k];
                if (x->comms[k].family != (enum xc_family)f)
                    continue;
                cJSON *ce = cJSON_CreateObject();
                cJSON_AddItemToArray(cs, ce);
                cJSON_AddStringToObject(ce, "ref", x->comms[k].ref);
                cJSON_AddBoolToObject(ce, "claimed", mb->claimed);
                cJSON_AddStringToObject(ce, "verdict", xc_verdict_name(mb->verdict));
                if (mb->verdict == XC_UNVERIFIABLE)
                    cJSON_AddStringToObject(ce, "reason", xc_reason_name(mb->reason));
                else
                    cJSON_AddNullToObject(ce, "reason");
                json_counts(ce, &mb->n);
            }
        }
    }
    return root;
}

static int render_json(const struct out *o)
{
    cJSON *root = json_build(o);
    char *s = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!s)
        return VKP_ENOMEM;
    fputs(s, o->f);
    fputc('\n', o->f);
    free(s);
    return 0;
}

/* ---- html ------------------------------------------------------------------------------ */

static void h(const struct out *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", o->f);
            break;
        case '>':
            fputs("&gt;", o->f);
            break;
        case '&':
            fputs("&amp;", o->f);
            break;
        case '"':
            fputs("&quot;", o->f);
            break;
        default:
            fputc(*s, o->f);
        }
    }
}

static void hf(const struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formats, then escapes: for text cells that mix labels and names. */
static void hf(const struct out *o, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    h(o, buf);
}

static const char *const verdict_class[XC_NVERDICTS] = {"ok",   "over", "under", "unv",
                                                        "info", "info", "info"};

static void html_verdict(const struct out *o, enum xc_verdict v, enum xc_reason r)
{
    char why[256];
    reason_text(o, r, why, sizeof why);
    fprintf(o->f, "<td class=\"%s\">", verdict_class[v]);
    h(o, verdict_label[v][o->en]);
    if (why[0]) {
        fputs("<br><small>", o->f);
        h(o, why);
        fputs("</small>", o->f);
    }
    fputs("</td>", o->f);
}

static void html_counts(const struct out *o, const struct xc_counts *n)
{
    fprintf(o->f,
            "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
            "<td class=\"n\">%lld</td><td class=\"n\">%lld</td>",
            (long long)n->members, (long long)n->commenters, (long long)n->authors,
            (long long)n->likers, (long long)n->reposters);
}

static void html_th(const struct out *o, const enum label *ls, size_t n)
{
    fputs("<tr>", o->f);
    for (size_t i = 0; i < n; i++) {
        fputs("<th>", o->f);
        h(o, LB(o, ls[i]));
        fputs("</th>", o->f);
    }
    fputs("</tr>\n", o->f);
}

static void html_share_row(const struct out *o, const char *what, size_t claimed, long observed)
{
    size_t r = o->x->respondents;
    fputs("<tr><td>", o->f);
    h(o, what);
    fprintf(o->f, "</td><td class=\"n\">%zu</td><td class=\"n\">%.1f%%</td>", claimed,
            pct(claimed, r));
    if (observed >= 0)
        fprintf(o->f, "<td class=\"n\">%ld</td><td class=\"n\">%.1f%%</td></tr>\n", observed,
                pct((size_t)observed, r));
    else
        fputs("<td></td><td></td></tr>\n", o->f);
}

static void html_summary(const struct out *o)
{
    const struct crosscheck *x = o->x;
    const struct xc_summary *s = &x->sum;
    char name[512];

    fputs("<h2>", o->f);
    hf(o, "%s: %s %zu / %zu", LB(o, L_SUMMARY), LB(o, L_RESPONDENTS), x->respondents, x->nmunis);
    fputs("</h2>\n", o->f);
    for (int f = 0; f < XC_NFAMILIES; f++) {
        for (int part = 0; part < 2; part++) {
            enum survey_q q =
                f ? (part ? SURVEY_Q17 : SURVEY_Q16) : (part ? SURVEY_Q14 : SURVEY_Q13);
            fputs("<h3>", o->f);
            h(o, LB(o, question_label[q]));
            fputs("</h3>\n<table><tr><th></th><th colspan=\"2\">", o->f);
            h(o, LB(o, L_CLAIMED));
            fputs("</th><th colspan=\"2\">", o->f);
            h(o, LB(o, L_OBSERVED));
            fputs("</th></tr>\n", o->f);
            if (!part) {
                for (size_t k = 0; k < x->ncomms; k++) {
                    if (x->comms[k].family != (enum xc_family)f)
                        continue;
                    snprintf(name, sizeof name, "«%s»", x->comms[k].survey_name);
                    html_share_row(o, name, s->claimed_comm[k], (long)s->observed_comm[k]);
                }
                html_share_row(o, LB(o, L_IN_NONE), s->list[f][XC_LIST_NONE],
                               (long)s->observed_none[f]);
                html_share_row(o, LB(o, L_DONT_KNOW), s->list[f][XC_LIST_DONT_KNOW], -1);
                html_share_row(o, LB(o, L_NO_ANSWER), s->list[f][XC_LIST_NO_ANSWER], -1);
            } else {
                for (int l = LEVEL_REGISTERED; l <= LEVEL_CONTRIBUTES + 1; l++) {
                    int lv = l > LEVEL_CONTRIBUTES ? LEVEL_NONE : l;
                    html_share_row(o, level_label[lv][o->en], s->claimed_level[f][lv],
                                   (long)s->observed_level[f][lv]);
                }
                html_share_row(o, LB(o, L_DONT_KNOW), s->level_dont_know[f], -1);
                html_share_row(o, LB(o, L_NO_ANSWER), s->level_no_answer[f], -1);
            }
            fputs("</table>\n", o->f);
        }
    }
    fputs("<h3>", o->f);
    h(o, LB(o, L_VERDICTS));
    fputs("</h3>\n<table><tr><th></th><th>13</th><th>14</th><th>16</th><th>17</th></tr>\n", o->f);
    for (int v = 0; v < XC_NVERDICTS; v++) {
        fprintf(o->f, "<tr><td class=\"%s\">", verdict_class[v]);
        h(o, verdict_label[v][o->en]);
        fprintf(o->f,
                "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                "<td class=\"n\">%zu</td></tr>\n",
                s->verdicts[SURVEY_Q13][v], s->verdicts[SURVEY_Q14][v], s->verdicts[SURVEY_Q16][v],
                s->verdicts[SURVEY_Q17][v]);
    }
    fputs("</table>\n", o->f);
}

static void html_munis(const struct out *o, int only_follow_up)
{
    const struct crosscheck *x = o->x;
    static const enum survey_q lq[2] = {SURVEY_Q14, SURVEY_Q17}, mq[2] = {SURVEY_Q13, SURVEY_Q16};
    const enum label head[] = {L_MUNICIPALITY, L_QUESTION,   L_CLAIMED, L_OBSERVED, L_VERDICT,
                               L_MEMBERS_N,    L_COMMENTERS, L_AUTHORS, L_LIKERS,   L_REPOSTERS};

    fputs("<table>\n", o->f);
    html_th(o, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < x->nmunis; i++) {
        const struct xc_muni *xm = &x->munis[i];
        if (only_follow_up && !xm->follow_up)
            continue;
        for (int f = 0; f < XC_NFAMILIES; f++) {
            const struct xc_level *l = &xm->level[f];
            char cov[256];
            muni_coverage_text(o, xm, cov, sizeof cov);
            fputs("<tr><td>", o->f);
            h(o, muni_label(xm));
            fputs("<br><small>", o->f);
            h(o, cov);
            fputs("</small>", o->f);
            fprintf(o->f, "</td><td>%s</td><td>", survey_question_number(lq[f]));
            h(o, claim_text(o, l));
            fputs("</td><td>", o->f);
            h(o, level_label[l->observed][o->en]);
            fputs("</td>", o->f);
            html_verdict(o, l->verdict, l->reason);
            html_counts(o, &l->n);
            fputs("</tr>\n", o->f);
            for (size_t k = 0; k < x->ncomms; k++) {
                const struct xc_membership *mb = &xm->comm[k];
                if (x->comms[k].family != (enum xc_family)f)
                    continue;
                if (only_follow_up ? mb->verdict != XC_OVERSTATED && mb->verdict != XC_UNDERSTATED
                                   : !mb->claimed && !mb->n.members)
                    continue;
                fputs("<tr><td></td><td>", o->f);
                hf(o, "%s «%s»", survey_question_number(mq[f]), x->comms[k].survey_name);
                fputs("</td><td>", o->f);
                h(o, mb->claimed ? LB(o, L_NAMED) : LB(o, L_NOT_NAMED));
                fputs("</td><td>", o->f);
                h(o, level_label[xc_observed_level(&mb->n, &x->th)][o->en]);
                fputs("</td>", o->f);
                html_verdict(o, mb->verdict, mb->reason);
                html_counts(o, &mb->n);
                fputs("</tr>\n", o->f);
            }
        }
    }
    fputs("</table>\n", o->f);
}

static void render_html(const struct out *o)
{
    const struct crosscheck *x = o->x;
    char a[16], b[16];

    fprintf(o->f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n<title>",
            o->en ? "en" : "ru");
    hf(o, "%s — %d", LB(o, L_TITLE), x->year);
    fputs("</title>\n<style>\n"
          "body{font-family:sans-serif;margin:2em;color:#222}\n"
          "table{border-collapse:collapse;margin:.5em 0 1.5em}\n"
          "td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}\n"
          "th{background:#f0f0f0}\n.n{text-align:right}\n"
          ".ok{background:#e3f4e3}.over{background:#fbe0e0}.under{background:#e0ebfb}\n"
          ".unv{background:#f4f0dc}.info{background:#f4f4f4}\nsmall{color:#555}\n"
          "</style></head><body>\n<h1>",
          o->f);
    hf(o, "%s — %s %d", LB(o, L_TITLE), LB(o, L_SURVEY), x->year);
    fputs("</h1>\n<p>", o->f);
    day(x->from, a, sizeof a);
    day(x->to, b, sizeof b);
    hf(o,
       "%s: %d %s, %s – %s (UTC). %s: min_members %d, min_coverage %.0f%%, "
       "min_discussants %d, min_discussant_share %.0f%%, min_contributors %d.",
       LB(o, L_WINDOW), x->weeks, o->en ? "weeks" : "нед.", a, b, LB(o, L_THRESHOLDS),
       x->th.min_members, 100 * x->th.min_coverage, x->th.min_discussants,
       100 * x->th.min_discussant_share, x->th.min_contributors);
    fputs("</p>\n<h2>", o->f);
    h(o, LB(o, L_METHOD));
    fputs("</h2>\n", o->f);
    char lines[LEGEND_LINES][1024], cov[512];
    size_t nl = legend(o, lines, sizeof lines[0]);
    for (size_t i = 0; i < nl; i++) {
        fputs("<p>", o->f);
        h(o, lines[i]);
        fputs("</p>\n", o->f);
    }
    fputs("<h2>", o->f);
    h(o, LB(o, L_COVERAGE));
    fputs("</h2>\n<p>", o->f);
    coverage_text(o, cov, sizeof cov);
    h(o, cov);
    fputs("</p>\n<table>", o->f);
    const enum label ch[] = {L_COMMUNITY, L_MEMBER_LIST, L_WALL, L_MEMBERS, L_ATTRIBUTED};
    html_th(o, ch, sizeof ch / sizeof ch[0]);
    for (size_t k = 0; k < x->ncomms; k++) {
        const struct xc_community *c = &x->comms[k];
        day(c->members_at, a, sizeof a);
        day(c->wall_last, b, sizeof b);
        fputs("<tr><td>", o->f);
        hf(o, "%s «%s»", c->ref, c->survey_name);
        fputs("</td><td>", o->f);
        hf(o, "%s%s%s", c->members_at ? a : LB(o, L_NEVER), c->members_hidden ? "; " : "",
           c->members_hidden ? LB(o, L_HIDDEN) : "");
        fputs("</td><td>", o->f);
        h(o, c->wall_last ? b : LB(o, L_NEVER));
        fprintf(o->f, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td></tr>\n",
                (long long)c->members, (long long)c->attributed);
    }
    fputs("</table>\n<p><small>", o->f);
    h(o, LB(o, L_NOTE));
    fputs("</small></p>\n", o->f);
    html_summary(o);
    fputs("<h2>", o->f);
    h(o, LB(o, L_FOLLOW_UP));
    fputs("</h2>\n", o->f);
    html_munis(o, 1);
    fputs("<h2>", o->f);
    h(o, LB(o, L_MUNIS));
    fputs("</h2>\n", o->f);
    html_munis(o, 0);
    fputs("</body></html>\n", o->f);
}

/* ---- public ------------------------------------------------------------------------------ */

int crosscheck_render(const struct crosscheck *x, const struct xc_render_options *opt, FILE *out)
{
    struct out o = {.f = out, .x = x, .en = opt->en != 0, .sep = opt->sep ? opt->sep : ','};
    int rc = 0;

    switch (opt->format) {
    case XC_FORMAT_TEXT:
        render_text(&o);
        break;
    case XC_FORMAT_CSV:
        render_csv(&o);
        break;
    case XC_FORMAT_JSON:
        rc = render_json(&o);
        break;
    case XC_FORMAT_HTML:
        render_html(&o);
        break;
    }
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        rc = VKP_EIO;
    return rc;
}
