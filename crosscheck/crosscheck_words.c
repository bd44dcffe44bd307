/* crosscheck_words.c: the cross-check's label tables and the sentences its formats share. */
#include "crosscheck_words.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "muni.h"
#include "text.h"
#include "week.h"

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
    [XL_GENERATED] = {"Сформирован", "Generated"}, /* begins a sentence */
    [XL_CHART_VERDICTS] = {"Вердикты по вопросам (муниципалитеты и сообщества)",
                           "Verdicts per question (municipalities and communities)"},
    [XL_CHART_COVERAGE] = {"Отнесённые участники по муниципалитетам",
                           "Attributed members per municipality"},
    [XL_WARNING] = {"Внимание:", "Note:"},
    [XL_RMOS] = {"РМО", "RMOs"},
    [XL_COMMUNITIES] = {"сообщества", "communities"},
    [XL_RESTS_ON] = {"опора", "rests on"},
    [XL_EVIDENCE] = {"данные", "evidence"},
    [XL_POSTS_BY] = {"посты отнесённых авторов", "posts of its attributed authors"},
    [XL_THREADS_OF] = {"обсуждения с комментариями отнесённых участников",
                       "threads its attributed members commented in"},
    [XL_PANEL_TITLE] = {"Сверка анкет разных лет", "Survey cross-check over the years"},
    [XL_SURVEYS] = {"анкеты", "surveys"},
    [XL_CHANGED] = {"изменилось", "changed"},
    [XL_YEAR] = {"год", "year"},
    [XL_WINDOWS] = {"Окна наблюдения", "Observation windows"},
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

const char *const xc_rank_word[4][LANG_COUNT] = {{"", ""},
                                                 {"завышено", "overstated"},
                                                 {"занижено", "understated"},
                                                 {"не проверить", "unverifiable"}};

const char *const xc_rank_label[4][LANG_COUNT] = {
    {"", ""},
    {"Завышено (сначала самые большие расхождения):",
     "Overstated (the largest differences first):"},
    {"Занижено при веских данных:", "Understated, on strong evidence:"},
    {"Не проверить — нужны данные (список педагогов, полные списки участников):",
     "Unverifiable — more evidence needed (a roster, complete member lists):"}};

const enum xc_label xc_question_label[SURVEY_NQ] = {XL_Q13, XL_Q14, XL_Q16, XL_Q17};

/* A local day (the region's zone) in strftime format fmt, "-" for 0. */
static void local_day(int64_t t, const char *fmt, char *buf, size_t len)
{
    if (!t)
        snprintf(buf, len, "-");
    else
        week_local(t, fmt, buf, len);
}

void xc_day(int64_t t, char *buf, size_t len)
{
    local_day(t, "%Y-%m-%d", buf, len);
}

void xc_date(const struct xc_out *o, int64_t t, char *buf, size_t len)
{
    local_day(t, XC_EN(o) ? "%Y-%m-%d" : "%d.%m.%Y", buf, len); /* fmt.h's convention */
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
                 XC_EN(o) ? "fewer than %d attributed members in the communities asked about"
                          : "меньше %d отнесённых участников в сообществах вопроса",
                 x->th.min_members);
        break;
    case XC_R_LOW_COVERAGE:
        snprintf(buf, len,
                 XC_EN(o) ? "only %.0f%% of members attributed (need %.0f%%)"
                          : "отнесено лишь %.0f %% участников (нужно %.0f %%)",
                 100 * x->coverage, 100 * x->th.min_coverage);
        break;
    case XC_R_NO_MEMBER_LIST:
        text_copy(buf, len, LB(o, XL_INCOMPLETE_MEMBERS));
        break;
    case XC_R_NO_ACTIVITY_DATA:
        text_copy(buf, len, LB(o, XL_INCOMPLETE_WALLS));
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
    snprintf(buf, len, "%s: %s, %s: %s, %s: %s; %s: %s, %s: %s", LB(o, XL_MEMBERS_N),
             FMT_INT(o->lang, n->members), LB(o, XL_COMMENTERS), FMT_INT(o->lang, n->commenters),
             LB(o, XL_AUTHORS), FMT_INT(o->lang, n->authors), LB(o, XL_LIKERS),
             FMT_INT(o->lang, n->likers), LB(o, XL_REPOSTERS), FMT_INT(o->lang, n->reposters));
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
size_t xc_legend(const struct xc_out *o, char lines[][LEGEND_LEN], size_t len)
{
    const struct crosscheck *x = o->x;
    const struct xc_thresholds *th = &x->th;
    char when[16], share[16], cov[16];
    size_t n = 0;

    fmt_percent(o->lang, th->min_discussant_share, 0, share, sizeof share);
    fmt_percent(o->lang, th->min_coverage, 0, cov, sizeof cov);

    xc_date(o, x->directory.synced_at, when, sizeof when);
    if (x->method == ATTR_BY_DIRECTORY)
        snprintf(lines[n++], len,
                 XC_EN(o)
                     ? "Attribution: by VK's city directory of «%s» (%s localities, %s of them "
                       "mapped to a municipality; synced %s). A member's profile city id is "
                       "looked up in it: a locality's district gives the municipality, a city "
                       "id not in the directory lies outside the region, whatever its name. "
                       "The roster wins over the profile city."
                     : "Отнесение: по справочнику городов ВКонтакте «%s» (%s населённых "
                       "пунктов, из них %s отнесены к муниципалитетам; обновлён %s). Город в "
                       "профиле ищется по его id: район населённого пункта даёт муниципалитет, "
                       "id не из справочника — вне области, как бы город ни назывался. Список "
                       "педагогов важнее города в профиле.",
                 x->directory.region_title[0] ? x->directory.region_title : "-",
                 FMT_INT(o->lang, x->localities), FMT_INT(o->lang, x->mapped), when);
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
    snprintf(lines[n++], len, "%s",
             XC_EN(o)
                 ? "Whose evidence: a question rests on the members attributed to the "
                   "municipality in the communities it asks about — questions 13 and 14 on its "
                   "members in the network RMOs, 16 and 17 on its members in the professional "
                   "communities — as members at the end of the window (VK gives no join dates: "
                   "the first complete member list stands for the time before it). Only these "
                   "members count as the municipality's authors, commenters, likers and "
                   "reposters; a person who is not a member there, or whom nothing places in "
                   "the municipality, is outside its evidence."
                 : "Чьи данные: вопрос опирается на участников, отнесённых к муниципалитету, в "
                   "тех сообществах, о которых он спрашивает, — вопросы 13 и 14 на его "
                   "участников сетевых РМО, 16 и 17 на его участников профессиональных "
                   "сообществ — по составу на конец окна (дат вступления ВКонтакте не даёт: "
                   "первый полный список участников представляет время до него). Только эти "
                   "участники считаются авторами, комментаторами, поставившими отметки и "
                   "репосты муниципалитета; кто не состоит там или не отнесён к "
                   "муниципалитету, в его данные не входит.");
    snprintf(lines[n++], len,
             XC_EN(o) ? "Observed level, each person counted once over the RMOs or over the "
                        "communities: contributes materials — at least %d of those members "
                        "authored a post in the window; discusses — at least %d of them "
                        "commented in the window and they are at least %s of its members there; "
                        "registered — at least one is a member; not at all — none is."
                      : "Наблюдаемый уровень, каждый человек учтён один раз по РМО или по "
                        "сообществам: предоставляют материалы — не меньше %d из этих участников "
                        "авторы постов за окно; обсуждают — не меньше %d из них комментировали "
                        "за окно, и это не меньше %s его участников там; зарегистрированы — "
                        "состоит хотя бы один; не участвуют — ни одного.",
             th->min_contributors, th->min_discussants, share);
    snprintf(lines[n++], len,
             XC_EN(o) ? "Verdict, the same rule for every question (naming a community in Q13/Q16 "
                        "claims \"registered\" in it, leaving it out claims \"not at all\"): "
                        "consistent — observed equals the claim; understated — more was observed; "
                        "overstated — less was observed and the evidence can carry it; "
                        "unverifiable — less was observed, but fewer than %d of the municipality's "
                        "members are attributed in the communities the question asks about (not "
                        "finding teachers we cannot identify is no evidence that they are absent), "
                        "less than %s of the region's members are attributed, a member list is "
                        "missing, or (for claims above \"registered\") the collected walls do not "
                        "cover the window."
                      : "Вердикт — одно правило для всех вопросов (указать сообщество в вопросах "
                        "13/16 — значит заявить «зарегистрированы» в нём, не указать — «не "
                        "участвуют»): подтверждается — наблюдаемое равно заявленному; занижено — "
                        "наблюдается больше; завышено — наблюдается меньше, и данных для такого "
                        "вывода достаточно; не проверить — наблюдается меньше, но в сообществах, о "
                        "которых вопрос, к муниципалитету отнесено меньше %d участников (не найти "
                        "педагогов, которых мы не можем опознать, — не довод, что их там нет), "
                        "отнесено меньше %s участников области, нет списка участников или (выше "
                        "«зарегистрированы») собранные стены не покрывают окно.",
             th->min_members, cov);
    return n;
}

/* n of `of` as a share the language's way, 0 decimals ("30 %"). */
static const char *share_of(const struct xc_out *o, int64_t n, int64_t of, char *buf, size_t len)
{
    xc_percent(o, (size_t)n, (size_t)of, 0, buf, len);
    return buf;
}

/* The region's coverage in sentences: members, attributed, and each way of (not) placing them. */
void xc_coverage_text(const struct xc_out *o, char *buf, size_t len)
{
    const struct crosscheck *x = o->x;
    char a[16], b[16], c[16], d[16], all[24], att[24], roster[24], city[24];
    int64_t placed = x->by_source[ATTR_ROSTER] + x->by_source[ATTR_CITY];

    xc_count(o, x->members, all, sizeof all);
    xc_count(o, placed, att, sizeof att);
    xc_count(o, x->by_source[ATTR_ROSTER], roster, sizeof roster);
    xc_count(o, x->by_source[ATTR_CITY], city, sizeof city);
    snprintf(buf, len,
             XC_EN(o) ? "Of the region's %s members at the end of the window, %s (%s) are "
                        "attributed to a municipality: %s by the roster, %s by their profile "
                        "city. %s of the region's members give no city, %s name a city outside "
                        "the region, %s a place of the region no municipality of the map holds."
                      : "Из %s участников области на конец окна к муниципалитетам отнесено %s "
                        "(%s): по списку педагогов — %s, по городу в профиле — %s. Города не "
                        "указали %s участников области, город вне области — %s, место в области "
                        "без муниципалитета в карте — %s.",
             all, att, share_of(o, placed, x->members, a, sizeof a), roster, city,
             share_of(o, x->by_source[ATTR_NO_CITY], x->members, b, sizeof b),
             share_of(o, x->by_source[ATTR_OUTSIDE], x->members, c, sizeof c),
             share_of(o, x->by_source[ATTR_UNMAPPED], x->members, d, sizeof d));
}

/* A municipality's own coverage in a sentence: attributed, by roster (of the roster's
 * entries), by profile city. */
void xc_muni_coverage_text(const struct xc_out *o, const struct xc_muni *xm, char *buf, size_t len)
{
    char n[24], r[64] = "";

    xc_count(o, xm->attributed, n, sizeof n);
    if (xm->roster_expected)
        snprintf(r, sizeof r, XC_EN(o) ? " (the roster lists %s)" : " (в списке %s)",
                 FMT_INT(o->lang, xm->roster_expected));
    if (!xm->attributed)
        snprintf(buf, len, "%s%s",
                 XC_EN(o) ? "no member is attributed to it" : "отнесённых участников нет", r);
    else if (!xm->by_roster)
        snprintf(buf, len,
                 XC_EN(o) ? "of its %s attributed members, all were placed by their profile "
                            "city%s"
                          : "отнесённых участников %s, все — по городу в профиле%s",
                 n, r);
    else if (!xm->by_city)
        snprintf(buf, len,
                 XC_EN(o) ? "of its %s attributed members, all were placed by the roster%s"
                          : "отнесённых участников %s, все — по списку педагогов%s",
                 n, r);
    else
        snprintf(buf, len,
                 XC_EN(o) ? "of its %s attributed members, %s were placed by the roster%s and "
                            "%s by their profile city"
                          : "отнесённых участников %s: по списку педагогов — %s%s, по городу в "
                            "профиле — %s",
                 n, FMT_INT(o->lang, xm->by_roster), r, FMT_INT(o->lang, xm->by_city));
}

int xc_comm_listed(const struct crosscheck *x, const struct xc_membership *mb, size_t k, int f)
{
    if (x->comms[k].family != (enum xc_family)f)
        return 0;
    return mb->claimed || mb->n.members || mb->verdict >= XC_DONT_KNOW;
}

void xc_window_text(const struct xc_out *o, char *buf, size_t len)
{
    const struct crosscheck *x = o->x;
    char a[16], b[16], what[96];

    xc_date(o, x->from, a, sizeof a);
    xc_date(o, x->to - 1, b, sizeof b); /* [from, to): the last day is the one before `to` */
    switch (x->wkind) {
    case XC_WIN_CALENDAR:
        snprintf(what, sizeof what, XC_EN(o) ? "the calendar year %d" : "%d календарный год",
                 x->year);
        break;
    case XC_WIN_SCHOOL_YEAR:
        snprintf(what, sizeof what, XC_EN(o) ? "the school year %d/%02d" : "%d/%02d учебный год",
                 x->year - 1, x->year % 100);
        break;
    case XC_WIN_DATES:
        text_copy(what, sizeof what, XC_EN(o) ? "the dates chosen" : "выбранные даты");
        break;
    default:
        snprintf(what, sizeof what,
                 XC_EN(o) ? "the %d weeks before the last collection"
                          : "%d нед. до последнего сбора",
                 x->weeks);
    }
    snprintf(buf, len,
             XC_EN(o) ? "Observation window: %s, %s – %s (local dates, %s)."
                      : "Окно наблюдения: %s, %s – %s (местные даты, %s).",
             what, a, b, o->tz ? o->tz : "UTC");
}

size_t xc_warnings(const struct xc_out *o, char lines[][WARN_LEN], size_t len)
{
    const struct crosscheck *x = o->x;
    char d[16];
    size_t n = 0;

    if (xc_open(x)) {
        xc_date(o, x->last_run, d, sizeof d);
        snprintf(lines[n++], len,
                 XC_EN(o) ? "The window is not covered: the last collection was on %s, and "
                            "what comes after it is not observed yet; a claim above "
                            "\"registered\" that falls short is unverifiable."
                          : "Окно не покрыто: последний сбор был %s, что после него — ещё не "
                            "наблюдалось; заявление выше «зарегистрированы», которому "
                            "наблюдаемого не хватает, — «не проверить».",
                 d);
    }
    if (xc_walls_short(x)) {
        xc_date(o, x->history_from, d, sizeof d);
        snprintf(lines[n++], len,
                 XC_EN(o) ? "The window is not covered: the collected walls reach back to %s "
                            "only; a claim above \"registered\" that falls short is "
                            "unverifiable (set [collect] horizon_days = 0 to read walls to their "
                            "first post)."
                          : "Окно не покрыто: собранные стены начинаются лишь с %s; заявление "
                            "выше «зарегистрированы», которому наблюдаемого не хватает, — «не "
                            "проверить» (чтобы читать стены до первого поста: [collect] "
                            "horizon_days = 0).",
                 d);
    }
    if (x->members_projected) {
        int64_t first = 0;
        for (size_t k = 0; k < x->ncomms; k++)
            if (x->comms[k].members_projected && x->comms[k].members_at > first)
                first = x->comms[k].members_at;
        xc_date(o, first, d, sizeof d);
        snprintf(lines[n++], len,
                 XC_EN(o) ? "The window ends before the first complete member list (%s): VK "
                            "gives no join dates, so the members listed then stand for the "
                            "members at the window's end."
                          : "Окно кончается до первого полного списка участников (%s): дат "
                            "вступления ВКонтакте не даёт, поэтому состав на конец окна — это "
                            "состав из того списка.",
                 d);
    }
    return n;
}

void xc_thresholds_text(const struct xc_out *o, char *buf, size_t len)
{
    const struct xc_thresholds *th = &o->x->th;
    char pc[16], ps[16];

    fmt_percent(o->lang, th->min_coverage, 0, pc, sizeof pc);
    fmt_percent(o->lang, th->min_discussant_share, 0, ps, sizeof ps);
    snprintf(buf, len,
             XC_EN(o) ? "Thresholds: \"contribute\" needs posts by at least %d attributed "
                        "members; \"discuss\" needs at least %d commenters and at least %s of "
                        "its members; a claim is called overstated only for a municipality with "
                        "at least %d attributed members in the communities the question asks "
                        "about, and only while at least %s of the region's members are "
                        "attributed."
                      : "Пороги: «предоставляют материалы» — посты не меньше %d отнесённых "
                        "участников; «обсуждают» — не меньше %d комментаторов и не меньше %s его "
                        "участников; «завышено» — только для муниципалитета, у которого в "
                        "сообществах, о которых вопрос, не меньше %d отнесённых участников, и "
                        "только пока отнесено не меньше %s участников области.",
             th->min_contributors, th->min_discussants, ps, th->min_members, pc);
}

void xc_count(const struct xc_out *o, int64_t n, char *buf, size_t len)
{
    fmt_number(o->lang, (double)n, 0, buf, len); /* "1 488" (a no-break space), "1,488" */
}

/* ---- the follow-up list ------------------------------------------------------------- */

enum xc_rank xc_follow_rank(const struct crosscheck *x, size_t muni, enum survey_q q, int comm)
{
    for (size_t i = 0; i < x->nfollow; i++)
        if (x->follow[i].muni == muni && x->follow[i].q == q && x->follow[i].comm == comm)
            return x->follow[i].rank;
    return XC_RANK_NONE;
}

void xc_follow_text(const struct xc_out *o, const struct xc_follow *it, char *buf, size_t len)
{
    const struct crosscheck *x = o->x;
    const struct xc_muni *xm = &x->munis[it->muni];
    int f = it->q == SURVEY_Q13 || it->q == SURVEY_Q14 ? XC_RMO : XC_PROF;
    char why[256], basis[24];
    int n;

    xc_count(o, it->basis, basis, sizeof basis);
    if (it->comm < 0) {
        const struct xc_level *l = &xm->level[f];
        xc_reason_text(o, l->reason, why, sizeof why);
        n = snprintf(buf, len, "%s, %s%s: %s %s, %s %s — %s%s%s", xc_muni_label(xm), LB(o, XL_Q),
                     survey_question_number(it->q), LB(o, XL_CLAIMS), xc_claim_text(o, l),
                     LB(o, XL_OBSERVED_LC), xc_level_label[l->observed][o->lang],
                     xc_verdict_label[l->verdict][o->lang], why[0] ? ": " : "", why);
    } else {
        const struct xc_membership *mb = &xm->comm[it->comm];
        xc_reason_text(o, mb->reason, why, sizeof why);
        n = snprintf(buf, len, "%s, %s%s «%s»: %s, %s: %s — %s%s%s", xc_muni_label(xm), LB(o, XL_Q),
                     survey_question_number(it->q), x->comms[it->comm].survey_name,
                     mb->claimed ? LB(o, XL_NAMED) : LB(o, XL_NOT_NAMED),
                     XC_EN(o) ? "its members there" : "его участников там",
                     FMT_INT(o->lang, mb->n.members), xc_verdict_label[mb->verdict][o->lang],
                     why[0] ? ": " : "", why);
    }
    if (n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n,
                 XC_EN(o) ? "; it rests on %s attributed members in the %s"
                          : "; опора — отнесённые участники в %s: %s",
                 XC_EN(o) ? basis : (f == XC_RMO ? "РМО" : "сообществах"),
                 XC_EN(o) ? (f == XC_RMO ? "RMOs" : "communities") : basis);
}

void xc_follow_counts(const struct xc_out *o, const struct xc_follow *it, size_t n, char *buf,
                      size_t len)
{
    size_t c[4] = {0};
    for (size_t i = 0; i < n; i++)
        c[it[i].rank]++;
    snprintf(buf, len,
             XC_EN(o) ? "%zu: %zu overstated, %zu understated on strong evidence, %zu unverifiable"
                      : "%zu: завышено — %zu, занижено при веских данных — %zu, не проверить — %zu",
             n, c[XC_RANK_OVERSTATED], c[XC_RANK_UNDERSTATED], c[XC_RANK_UNVERIFIABLE]);
}
