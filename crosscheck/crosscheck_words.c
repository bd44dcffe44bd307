/* crosscheck_words.c: the cross-check's label tables and the sentences its formats share. */
#include "crosscheck_words.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "muni.h"

/* ---- labels ------------------------------------------------------------------------ */

/* [label][0] Russian, [1] English. */
const char *const xc_labels[XL_COUNT][LANG_COUNT] = {
    [XL_TITLE] = {"Сверка анкеты с наблюдаемым участием", "Survey cross-check"},
    [XL_SURVEY] = {"анкета", "survey"},
    [XL_WINDOW] = {"окно наблюдения", "observation window"},
    [XL_THRESHOLDS] = {"пороги", "thresholds"},
    [XL_COVERAGE] = {"Отнесение участников к муниципалитетам", "Attribution of members"},
    [XL_MEMBERS] = {"участников", "members"},
    [XL_ATTRIBUTED] = {"отнесено", "attributed"},
    [XL_ROSTER] = {"по списку", "by roster"},
    [XL_CITY] = {"по городу в профиле", "by profile city"},
    [XL_NO_CITY] = {"без города в профиле", "no city in profile"},
    [XL_OUTSIDE] = {"город вне области", "city outside the region"},
    [XL_DATA] = {"Данные", "Data"},
    [XL_COMMUNITY] = {"сообщество", "community"},
    [XL_MEMBER_LIST] = {"полный список участников", "complete member list"},
    [XL_WALL] = {"стена прочитана", "wall read"},
    [XL_NEVER] = {"нет", "never"},
    [XL_HIDDEN] = {"список участников скрыт", "member list hidden"},
    [XL_SUMMARY] = {"Сводка по области", "Region summary"},
    [XL_RESPONDENTS] = {"ответили", "answered"},
    [XL_CLAIMED] = {"по анкете", "claimed"},
    [XL_OBSERVED] = {"наблюдается", "observed"},
    [XL_Q13] = {"Вопрос 13. В каких сетевых РМО участвуют педагоги",
                "Q13. Network RMOs the teachers take part in"},
    [XL_Q14] = {"Вопрос 14. Характер участия педагогов в РМО",
                "Q14. Character of participation in the RMOs"},
    [XL_Q16] = {"Вопрос 16. В каких сетевых сообществах участвуют педагоги",
                "Q16. Professional communities the teachers take part in"},
    [XL_Q17] = {"Вопрос 17. Характер участия педагогов в сообществах",
                "Q17. Character of participation in the communities"},
    [XL_IN_NONE] = {"ни в одном", "in none"},
    [XL_DONT_KNOW] = {"не владеют информацией", "don't know"},
    [XL_NO_ANSWER] = {"нет ответа", "no answer"},
    [XL_VERDICTS] = {"Вердикты", "Verdicts"},
    [XL_FOLLOW_UP] = {"Требуют уточнения", "To follow up"},
    [XL_NOTHING] = {"нет", "none"},
    [XL_MUNIS] = {"Муниципалитеты", "Municipalities"},
    [XL_COMMENTERS] = {"комментировали", "commented"},
    [XL_AUTHORS] = {"авторы постов", "authored posts"},
    [XL_LIKERS] = {"отметки «нравится»", "liked"},
    [XL_REPOSTERS] = {"репосты", "reposted"},
    [XL_NAMED] = {"указано", "named"},
    [XL_NOT_NAMED] = {"не указано", "not named"},
    [XL_MUNICIPALITY] = {"муниципалитет", "municipality"},
    [XL_QUESTION] = {"вопрос", "question"},
    [XL_VERDICT] = {"вердикт", "verdict"},
    [XL_REASON] = {"причина", "reason"},
    [XL_SURVEYED] = {"в анкете", "in the survey"},
    [XL_YES] = {"да", "yes"},
    [XL_NO] = {"нет", "no"},
    [XL_UNDECODED] = {"ответов называют сообщества, которых больше нет в конфигурации",
                      "stored answers name communities no longer in the config"},
    [XL_NOTE] = {"Отметки «нравится» и репосты — более слабые признаки и показаны отдельно; у "
                 "отметок «нравится» во ВКонтакте нет даты: отметка датируется серединой "
                 "промежутка между двумя сборами, а найденная первым сбором — датой записи.",
                 "Likes and reposts are weaker signals, shown apart; VK gives likes no date: a "
                 "like is dated by the middle of the interval between two collections, one the "
                 "first collection found by its post's date."},
    [XL_NOT_IN_SURVEY] = {"нет в анкете", "not in the survey"},
    [XL_CLAIMS] = {"по анкете", "claims"},
    [XL_OBSERVED_LC] = {"наблюдается", "observed"},
    [XL_ROSTER_STALE] = {"записей списка называют муниципалитеты, которых нет в карте",
                         "roster entries name municipalities the map lacks"},
    [XL_INCOMPLETE_MEMBERS] = {"не у всех сообществ есть полный список участников",
                               "not every community has a complete member list"},
    [XL_INCOMPLETE_WALLS] = {"стены прочитаны не за всё окно",
                             "walls are not read back to the window's start"},
    [XL_ATTRIBUTED_MEMBERS] = {"отнесено участников", "attributed members"},
    [XL_OF_RESPONDENTS] = {"доля ответивших", "share of respondents"},
    [XL_Q] = {"Вопрос ", "Q"},
    [XL_MEMBERS_N] = {"участники", "members"},
    [XL_UNMAPPED] = {"город области без муниципалитета в карте",
                     "city in the region, no municipality in the map"},
    [XL_METHOD] = {"Метод", "Method"},
    [XL_BY_CITY_ID] = {"по городу", "by city"},
    [XL_OF_LISTED] = {"из", "of"},
    [XL_CONTENTS] = {"Содержание", "Contents"},
    [XL_GENERATED] = {"сформирован", "generated"},
    [XL_CHART_VERDICTS] = {"Вердикты по вопросам (муниципалитеты и сообщества)",
                           "Verdicts per question (municipalities and communities)"},
    [XL_CHART_COVERAGE] = {"Отнесённые участники по муниципалитетам",
                           "Attributed members per municipality"},
};

const char *const xc_level_label[4][LANG_COUNT] = {
    {"не участвуют", "not at all"},
    {"зарегистрированы", "registered only"},
    {"зарегистрированы и обсуждают", "registered and discuss"},
    {"предоставляют материалы", "contribute materials"},
};

const char *const xc_verdict_label[XC_NVERDICTS][LANG_COUNT] = {
    {"подтверждается", "consistent"},
    {"завышено", "overstated"},
    {"занижено", "understated"},
    {"не проверить", "unverifiable"},
    {"не владеют информацией", "don't know"},
    {"нет ответа", "no answer"},
    {"нет в анкете", "not in the survey"}};

const char *const xc_list_label[4][LANG_COUNT] = {{"нет ответа", "no answer"},
                                                  {"указаны сообщества", "communities named"},
                                                  {"ни в одном", "in none"},
                                                  {"не владеют информацией", "don't know"}};

const enum xc_label xc_question_label[SURVEY_NQ] = {XL_Q13, XL_Q14, XL_Q16, XL_Q17};

/* A UTC day in strftime format fmt, "-" for 0. */
static void utc_day(int64_t t, const char *fmt, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t || !gmtime_r(&tt, &tm))
        snprintf(buf, len, "-");
    else
        strftime(buf, len, fmt, &tm);
}

void xc_day(int64_t t, char *buf, size_t len)
{
    utc_day(t, "%Y-%m-%d", buf, len);
}

void xc_date(const struct xc_out *o, int64_t t, char *buf, size_t len)
{
    utc_day(t, XC_EN(o) ? "%Y-%m-%d" : "%d.%m.%Y", buf, len); /* fmt.h's convention, in UTC */
}

double xc_pct(size_t n, size_t of)
{
    return of ? 100.0 * (double)n / (double)of : 0;
}

void xc_percent(const struct xc_out *o, size_t n, size_t of, int decimals, char *buf, size_t len)
{
    fmt_percent(o->lang, xc_pct(n, of) / 100.0, decimals, buf, len);
}

/* Why a claim is unverifiable, in words. */
void xc_reason_text(const struct xc_out *o, enum xc_reason r, char *buf, size_t len)
{
    const struct crosscheck *x = o->x;
    buf[0] = '\0';
    switch (r) {
    case XC_R_FEW_MEMBERS:
        snprintf(buf, len,
                 XC_EN(o) ? "fewer than %d attributed members" : "меньше %d отнесённых участников",
                 x->th.min_members);
        break;
    case XC_R_LOW_COVERAGE:
        snprintf(buf, len,
                 XC_EN(o) ? "only %.0f%% of members attributed (need %.0f%%)"
                          : "отнесено лишь %.0f %% участников (нужно %.0f %%)",
                 100 * x->coverage, 100 * x->th.min_coverage);
        break;
    case XC_R_NO_MEMBER_LIST:
        snprintf(buf, len, "%s", LB(o, XL_INCOMPLETE_MEMBERS));
        break;
    case XC_R_NO_ACTIVITY_DATA:
        snprintf(buf, len, "%s", LB(o, XL_INCOMPLETE_WALLS));
        break;
    default:
        break;
    }
}

/* The claimed side of a Q14/Q17 answer. */
const char *xc_claim_text(const struct xc_out *o, const struct xc_level *l)
{
    if (l->verdict == XC_DONT_KNOW)
        return LB(o, XL_DONT_KNOW);
    if (l->verdict == XC_NO_ANSWER)
        return LB(o, XL_NO_ANSWER);
    if (l->verdict == XC_NOT_SURVEYED)
        return LB(o, XL_NOT_IN_SURVEY);
    return xc_level_label[l->claimed][o->lang];
}

void xc_counts_text(const struct xc_out *o, const struct xc_counts *n, char *buf, size_t len)
{
    snprintf(buf, len, "%s: %lld, %s: %lld, %s: %lld; %s: %lld, %s: %lld", LB(o, XL_MEMBERS_N),
             (long long)n->members, LB(o, XL_COMMENTERS), (long long)n->commenters,
             LB(o, XL_AUTHORS), (long long)n->authors, LB(o, XL_LIKERS), (long long)n->likers,
             LB(o, XL_REPOSTERS), (long long)n->reposters);
}

const char *xc_muni_label(const struct xc_muni *xm)
{
    return xm->m->short_name ? xm->m->short_name : xm->m->name;
}

/* ---- the method, printed with every result -------------------------------------------- */

/*
 * The method in words (README "Survey cross-check" says the same): how
 * members were placed, what each observed level needs, and when a shortfall
 * is overstated. Fills lines[] (each of len bytes) and returns how many.
 */
size_t xc_legend(const struct xc_out *o, char lines[][1024], size_t len)
{
    const struct crosscheck *x = o->x;
    const struct xc_thresholds *th = &x->th;
    char when[16];
    size_t n = 0;

    xc_date(o, x->directory.synced_at, when, sizeof when);
    if (x->method == ATTR_BY_DIRECTORY)
        snprintf(lines[n++], len,
                 XC_EN(o)
                     ? "Attribution: by VK's city directory of «%s» (%zu localities, %zu of them "
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
                 XC_EN(o)
                     ? "Attribution: by the title of the profile city (no city directory: run "
                       "'vkpulse region sync'). Villages the map does not list count as outside "
                       "the region and places sharing a name may be confused; read verdicts "
                       "with that in mind. The roster wins over the profile city."
                     : "Отнесение: по названию города в профиле (справочника городов нет: "
                       "выполните 'vkpulse region sync'). Сёла, которых нет в карте, считаются "
                       "вне области, одноимённые пункты могут быть спутаны; учитывайте это при "
                       "чтении вердиктов. Список педагогов важнее города в профиле.");
    snprintf(lines[n++], len,
             XC_EN(o) ? "Observed level, from the members attributed to the municipality, each "
                        "counted once over the RMOs (Q13/Q14) or the communities (Q16/Q17): "
                        "contributes — at least %d of them authored a post in the window; "
                        "discusses — at least %d commented and they are at least %.0f%% of its "
                        "members there; registered — at least one is a member; not at all — none."
                      : "Наблюдаемый уровень — по участникам, отнесённым к муниципалитету, каждый "
                        "учтён один раз по РМО (вопросы 13/14) или по сообществам (16/17): "
                        "предоставляют материалы — не меньше %d из них авторы постов за окно; "
                        "обсуждают — не меньше %d комментировали, и это не меньше %.0f %% его "
                        "участников там; зарегистрированы — хотя бы один участник; не участвуют — "
                        "ни одного.",
             th->min_contributors, th->min_discussants, 100 * th->min_discussant_share);
    snprintf(lines[n++], len,
             XC_EN(o)
                 ? "Verdict, the same rule for every question (naming a community in Q13/Q16 "
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
                   "(отсутствие отнесённых участников — не довод), отнесено меньше %.0f %% "
                   "участников области, список участников неполон или (выше «зарегистрированы») "
                   "стены прочитаны не за всё окно.",
             th->min_members, 100 * th->min_coverage);
    return n;
}

/* The region's coverage: members, attributed, and each way of (not) placing them. */
void xc_coverage_text(const struct xc_out *o, char *buf, size_t len)
{
    const struct crosscheck *x = o->x;
    char share[32];
    fmt_percent(o->lang, x->coverage, 1, share, sizeof share);
    snprintf(buf, len, "%lld %s; %s %lld (%s): %s %lld, %s %lld; %s %lld; %s %lld; %s %lld",
             (long long)x->members, LB(o, XL_MEMBERS), LB(o, XL_ATTRIBUTED),
             (long long)(x->by_source[ATTR_ROSTER] + x->by_source[ATTR_CITY]), share,
             LB(o, XL_ROSTER), (long long)x->by_source[ATTR_ROSTER], LB(o, XL_CITY),
             (long long)x->by_source[ATTR_CITY], LB(o, XL_NO_CITY),
             (long long)x->by_source[ATTR_NO_CITY], LB(o, XL_UNMAPPED),
             (long long)x->by_source[ATTR_UNMAPPED], LB(o, XL_OUTSIDE),
             (long long)x->by_source[ATTR_OUTSIDE]);
}

/* A municipality's own coverage: attributed, by roster (of the roster's entries), by city. */
void xc_muni_coverage_text(const struct xc_out *o, const struct xc_muni *xm, char *buf, size_t len)
{
    char share[32];
    int n = snprintf(buf, len, "%s: %lld (%s %lld", LB(o, XL_ATTRIBUTED_MEMBERS),
                     (long long)xm->attributed, LB(o, XL_ROSTER), (long long)xm->by_roster);
    if (n >= 0 && (size_t)n < len && xm->roster_expected)
        n += snprintf(buf + n, len - (size_t)n, " %s %lld", LB(o, XL_OF_LISTED),
                      (long long)xm->roster_expected);
    xc_percent(o, (size_t)xm->by_city, (size_t)xm->attributed, 0, share, sizeof share);
    if (n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, ", %s %lld = %s)", LB(o, XL_BY_CITY_ID),
                 (long long)xm->by_city, share);
}

int xc_comm_listed(const struct crosscheck *x, const struct xc_membership *mb, size_t k, int f,
                   int only_follow_up)
{
    if (x->comms[k].family != (enum xc_family)f)
        return 0;
    if (only_follow_up)
        return mb->verdict == XC_OVERSTATED || mb->verdict == XC_UNDERSTATED;
    return mb->claimed || mb->n.members || mb->verdict >= XC_DONT_KNOW;
}

void xc_window_text(const struct xc_out *o, char *buf, size_t len)
{
    char a[16], b[16];

    xc_date(o, o->x->from, a, sizeof a);
    xc_date(o, o->x->to, b, sizeof b);
    snprintf(buf, len, "%s: %d %s, %s – %s (UTC)", LB(o, XL_WINDOW), o->x->weeks,
             XC_EN(o) ? "weeks" : "нед.", a, b);
}

void xc_thresholds_text(const struct xc_out *o, char *buf, size_t len)
{
    const struct xc_thresholds *th = &o->x->th;
    char pc[16], ps[16];

    fmt_percent(o->lang, th->min_coverage, 0, pc, sizeof pc);
    fmt_percent(o->lang, th->min_discussant_share, 0, ps, sizeof ps);
    snprintf(buf, len,
             "%s: min_members %d, min_coverage %s, min_discussants %d, "
             "min_discussant_share %s, min_contributors %d",
             LB(o, XL_THRESHOLDS), th->min_members, pc, th->min_discussants, ps,
             th->min_contributors);
}
