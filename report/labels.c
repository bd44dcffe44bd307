/* labels.c: the report's Russian and English words, one table row per label. */
#include "labels.h"

static const char *const labels[L_COUNT_][LANG_COUNT] = {
    [L_TITLE] = {"Еженедельный отчёт о сообществах", "Weekly community report"},
    [L_WEEK] = {"Неделя", "Week"},
    [L_WINDOW] = {"Окно тренда", "Trend window"},
    [L_WEEKS_UNIT] = {"нед.", "weeks"},
    [L_TIMEZONE] = {"Часовой пояс", "Time zone"},
    [L_GENERATED] = {"Сформирован", "Generated"},
    [L_RUNS] = {"Запуски сбора", "Collection runs"},
    [L_RUNS_OK] = {"успешно", "ok"},
    [L_RUNS_PARTIAL] = {"частично", "partial"},
    [L_RUNS_FAILED] = {"неудачно", "failed"},
    [L_NETWORK] = {"Вся сеть", "Whole network"},
    [L_SELECTED] = {"Выбранные сообщества", "Selected communities"},
    [L_COMMUNITY] = {"Сообщество", "Community"},
    [L_FIGURE] = {"Показатель", "Figure"},
    [L_THIS_WEEK] = {"Эта неделя", "This week"},
    [L_PREV_WEEK] = {"Прошлая неделя", "Previous week"},
    [L_CHANGE] = {"Изменение", "Change"},
    [L_AVERAGE] = {"Среднее за %s", "Average of the %s"},
    [L_VS_AVERAGE] = {"К среднему", "Vs average"},
    [L_NA] = {"н/д", "n/a"},
    [L_APPROX_LEGEND] = {"~ — оценка по неполным данным (см. примечания)",
                         "~ approximate: measured from incomplete data (see the notes)"},
    [L_NA_LEGEND] = {"н/д — нет данных, чтобы измерить (см. примечания); это не ноль",
                     "n/a: no data to measure it (see the notes); it is not zero"},
    [L_SNAPSHOTS] = {"Срезы данных", "Snapshots used"},
    [L_SNAP_START] = {"на начало", "at the start"},
    [L_SNAP_END] = {"на конец", "at the end"},
    [L_NONE] = {"нет", "none"},
    [L_NOTES] = {"Примечания", "Notes"},
    [L_TOP_POSTS] = {"Лучшие записи недели", "Top posts of the week"},
    [L_NO_POSTS] = {"записей за период с данными нет", "no posts of the period with figures"},
    [L_POST_DATE] = {"Дата", "Date"},
    [L_P_VIEWS] = {"просмотры", "views"},
    [L_P_LIKES] = {"лайки", "likes"},
    [L_P_COMMENTS] = {"комментарии", "comments"},
    [L_P_REPOSTS] = {"репосты", "reposts"},
    [L_P_ER] = {"вовлечённость", "engagement"},
    [L_KIND_COMMUNITY] = {"от сообщества", "by the community"},
    [L_KIND_MEMBER] = {"от участника", "by a member"},
    [L_KIND_REPOST] = {"репост", "repost"},
    [L_LADDER] = {"Лестница участия", "Participation ladder"},
    [L_LADDER_NOTE] = {"зарегистрированы — участники без комментариев и записей; обсуждают — "
                       "комментировали; вносят вклад — авторы записей (подписанных или "
                       "предложенных)",
                       "registered: members who neither commented nor posted; discuss: "
                       "commented; contribute: authored a post (signed or suggested)"},
    [L_PERIOD_NOW] = {"окно", "window"},
    [L_PERIOD_PREV] = {"период до него", "period before"},
    [L_MEMBERS] = {"Участники", "Members"},
    [L_REGISTERED] = {"Только зарегистрированы", "Registered only"},
    [L_DISCUSS] = {"Обсуждают", "Discuss"},
    [L_CONTRIBUTE] = {"Вносят вклад", "Contribute"},
    [L_OUTSIDERS] = {"Не участники, но активны", "Active non-members"},
    [L_MOVES] = {"Переходы", "Moves"},
    [L_UP] = {"выше", "up"},
    [L_DOWN] = {"ниже", "down"},
    [L_SAME] = {"без изменений", "same"},
    [L_CAME] = {"новые", "new"},
    [L_WENT] = {"ушли", "gone"},
    [L_PEOPLE] = {"Люди в сети сообществ", "People across the network"},
    [L_DISTINCT_MEMBERS] = {"Разных участников", "Distinct members"},
    [L_MULTI_MEMBERS] = {"Состоят в двух и более сообществах",
                         "Members of two or more communities"},
    [L_DISTINCT_ACTIVE] = {"Разных активных людей", "Distinct active people"},
    [L_SPREAD] = {"Участники по числу сообществ и по тому, где они активны",
                  "Members by number of communities, and where they were active"},
    [L_MEMBER_OF] = {"Состоят в", "Member of"},
    [L_ACTIVE_IN] = {"активны в", "active in"},
    [L_EXCLUDED] = {"Не учтены (список участников скрыт или не прочитан)",
                    "Left out (member list hidden or not read)"},
    [L_MUNIS] = {"Муниципалитеты", "Municipalities"},
    [L_MUNI] = {"Муниципалитет", "Municipality"},
    [L_ACTIVE] = {"Активны за неделю", "Active this week"},
    [L_ATTRIBUTED] = {"Отнесены к муниципалитету", "Attributed to a municipality"},
    [L_NO_CITY] = {"Город не указан", "No city in profile"},
    [L_OUTSIDE] = {"Город вне области", "City outside the region"},
    [L_CHART_SUBS] = {"Подписчики по неделям", "Subscribers by week"},
    [L_CHART_INTER] = {"Реакции по неделям (лайки + комментарии + репосты)",
                       "Reactions by week (likes + comments + reposts)"},
    [L_CHART_LADDER] = {"Лестница участия: окно и период до него",
                        "Participation ladder: window and the period before"},
    [L_CHART_MUNIS] = {"Участники и активные по муниципалитетам",
                       "Members and actives by municipality"},
    [L_DATA] = {"Полнота данных", "Data coverage"},
    [L_ALL_COMMUNITIES] = {"все сообщества", "all communities"},
    [L_NOT_CONFIGURED] = {"(больше нет в конфигурации)", "(no longer configured)"},
    [L_THREE_YEARS] = {"Динамика", "Dynamics"},
    [L_TREND_UP] = {"рост", "growth"},
    [L_TREND_DOWN] = {"снижение", "decline"},
    [L_TREND_MIXED] = {"то рост, то снижение", "up and down"},
    [L_TREND_OPEN] = {"год не завершён — без вывода", "incomplete year: no verdict"},
    [L_OPEN_PERIOD] = {"не завершён", "incomplete"},
    [L_CONTENTS] = {"Содержание", "Contents"},
    [L_UNIT_PEOPLE] = {"человек", "people"},
    [L_UNIT_INTER] = {"лайки + комментарии + репосты", "likes + comments + reposts"},
    [L_UNIT_COUNT] = {"количество", "count"},
    [L_POST_TEXT] = {"Текст (начало)", "Text (start)"},
    [L_POST_TYPE] = {"Тип", "Type"},
    [L_POSTS_ALL] = {"Все записи периода", "Every post of the period"},
    [L_SORT_HINT] = {"нажмите на заголовок столбца, чтобы отсортировать",
                     "click a column head to sort"},
    [L_HEAT_POSTS] = {"записей", "posts"},
    [L_HEAT_REACTIONS] = {"реакций", "reactions"},
    [L_BEST_TIME] = {"Лучшее время для публикаций", "Best time to post"},
    [L_BEST_TIME_NOTE] = {"реакции (лайки + комментарии + репосты) в среднем на запись по дням "
                          "(Пн–Вс) и часам публикации, за окно тренда; пусто — записей не было",
                          "reactions (likes + comments + reposts) per post by the weekday and "
                          "hour it was published, over the trend window; empty: no posts"},
    [L_HOUR] = {"Час", "Hour"},
    [L_WEEKDAY] = {"День", "Day"},
    [L_ALERTS] = {"Активные предупреждения", "Active alerts"},
    [L_NO_ALERTS] = {"Активных предупреждений нет.", "No active alerts."},
    [L_GLANCE] = {"Коротко", "At a glance"},
    [L_FORMULAS] = {"Как считаются показатели", "How the figures are computed"},
    [L_REACH_NA] = {"охват — только с токеном администратора группы",
                    "reach needs a group admin's token"},
    [L_DETAILS] = {"Все показатели", "All figures"},
    [L_NEWS_SUBS] = {"Подписчики: %s", "Subscribers: %s"},
    [L_NEWS_MOST_FALL] = {" — самое большое снижение за %s", ", the largest fall in %s"},
    [L_NEWS_MOST_RISE] = {" — самый большой рост за %s", ", the largest rise in %s"},
    [L_NEWS_NO_POSTS] = {"Нет новых записей уже %s", "No new posts for %s"},
    [L_NEWS_EMPTY_WALL] = {"Записей на стене нет", "No posts on the wall"},
    [L_NEWS_REACTIONS] = {"%s — %s к среднему за окно", "%s: %s against the window's average"},
    [L_AS_OF] = {"Лайки, просмотры и репосты — записей, опубликованных в каждом году, на момент "
                 "последнего сбора",
                 "Likes, views and reposts: of the posts published in each year, as of the last "
                 "collection"},
    [L_YEAR_TO_DATE] = {"каждый год — с его начала по тот же день, что и последний",
                        "each year from its start to the same day as the last: the year to "
                        "date against the same span of the years before"},
    [L_POINTS] = {"п.п.", "pp"},
    [L_SNAP_START_EARLY] = {"на %s раньше начала периода", "%s before the period's start"},
    [L_SNAP_START_LATE] = {"на %s позже начала периода", "%s after the period's start"},
    [L_SNAP_END_EARLY] = {"на %s раньше конца периода", "%s before the period's end"},
    [L_SNAP_END_LATE] = {"на %s позже конца периода", "%s after the period's end"},
};

/* In bit order of enum metric_note. */
static const char *const note_labels[NOTE_COUNT_][LANG_COUNT + 1] = {
    {"период закончился до первого сбора данных", "the period ended before the first collection",
     "not_collected"},
    {"нет среза данных рядом с началом периода", "no snapshot near the start of the period",
     "no_start_snapshot"},
    {"нет среза данных рядом с концом периода", "no snapshot near the end of the period",
     "no_end_snapshot"},
    {"сообщество скрывает список участников", "the group hides its member list", "members_hidden"},
    {"список участников на границе периода прочитан не полностью",
     "the member list at a period boundary was not read completely", "members_incomplete"},
    {"стена на границе периода прочитана не полностью",
     "the wall at a period boundary was not read completely", "wall_incomplete"},
    {"лайки, комментарии или репосты прочитаны не полностью",
     "likes, comments or reposts were not all read", "details_incomplete"},
    {"запуск сбора в этом периоде завершился ошибкой", "a collection run of the period failed",
     "run_failed"},
    {"запуск сбора в этом периоде был частичным", "a collection run of the period was partial",
     "run_partial"},
    {"лайки, найденные первым сбором, датированы датой их записи",
     "likes the first collection found are dated by their post's date", "likes_dated_by_post"},
    {"лайки ещё ни разу не прочитаны полностью: не учтены",
     "likes were never read completely yet: not counted", "no_likes"},
    {"часть счётчиков уменьшилась: уменьшение показано как «отозвано»",
     "some counters went down: the decrease is shown as withdrawn", "counters_down"},
    {"старые записи, впервые прочитанные в этом периоде, не учтены в приросте",
     "older posts read for the first time in the period are left out of the gains",
     "old_posts_skipped"},
    {"период ещё не закончился", "the period is not over yet", "week_open"},
    {"период до первого сбора: записи, комментарии, репосты и авторы — по их датам, лайки — "
     "по дате записи; у просмотров дат нет",
     "before the first collection: posts, comments, reposts and authors by their dates, likes "
     "by their post's; views have none",
     "history"},
    {"счётчики записей периода — на момент последнего сбора",
     "counters of the period's posts as of the last collection", "as_of_last_collection"},
    {"подписчики восстановлены по дневной статистике stats.get",
     "subscribers rebuilt from stats.get day figures", "subscribers_from_stats"},
    {"подписчики до первого сбора неизвестны: stats.get доступен только администратору группы",
     "subscribers before the first collection are unknown: stats.get needs a group admin's token",
     "no_subscriber_history"},
    {"часть лайков датирована промежутком между двумя сборами, который пересекает границу "
     "периода: показатель приблизителен (его нижняя и верхняя границы — в выгрузке JSON)",
     "some likes are dated by the interval between two collections, which crosses the "
     "period's edge: the figure is approximate (its lower and upper bounds are in the JSON "
     "export)",
     "likes_bracketed"},
    {"вступившие и вышедшие — по дневной статистике stats.get (сутки VK — московские: "
     "приблизительно)",
     "joined and left from stats.get day figures (VK's days are Moscow days: approximate)",
     "joins_from_stats"},
    {"незавершённый год сравнивается с тем же отрезком каждого предыдущего года",
     "the open year is compared with the same span of each year before it", "year_to_date"},
    {"срез на начало сделан далеко от начала периода (насколько — в строке «Срезы данных»): "
     "подписчики на начало — на момент среза, вступившие, вышедшие и прирост счётчиков — с него",
     "the start snapshot was taken far from the period's start (how far: see \"Snapshots "
     "used\"): subscribers at the start are as of it, joins, leaves and counter gains count "
     "from it",
     "start_snapshot_far"},
    {"срез на конец сделан далеко от конца периода (насколько — в строке «Срезы данных»): "
     "подписчики на конец — на момент среза, вступившие, вышедшие и прирост счётчиков — до него",
     "the end snapshot was taken far from the period's end (how far: see \"Snapshots used\"): "
     "subscribers at the end are as of it, joins, leaves and counter gains count up to it",
     "end_snapshot_far"},
};

const char *label(enum lang lang, enum label l)
{
    return labels[l][lang];
}

const char *metric_label(enum lang lang, enum metric_id m)
{
    return metric_info(m)->words[lang];
}

/* The words that name the period, for the kinds after weeks (week.h order); the
 * weekly words are the labels' own. */
static const char *const period_labels[PERIOD_KINDS - 1][9][LANG_COUNT] = {
    {{"Ежемесячный отчёт о сообществах", "Monthly community report"},
     {"Месяц", "Month"},
     {"мес.", "months"},
     {"Этот месяц", "This month"},
     {"Прошлый месяц", "Previous month"},
     {"Лучшие записи месяца", "Top posts of the month"},
     {"Активны за месяц", "Active this month"},
     {"Подписчики по месяцам", "Subscribers by month"},
     {"Реакции по месяцам (лайки + комментарии + репосты)",
      "Reactions by month (likes + comments + reposts)"}},
    {{"Квартальный отчёт о сообществах", "Quarterly community report"},
     {"Квартал", "Quarter"},
     {"кв.", "quarters"},
     {"Этот квартал", "This quarter"},
     {"Прошлый квартал", "Previous quarter"},
     {"Лучшие записи квартала", "Top posts of the quarter"},
     {"Активны за квартал", "Active this quarter"},
     {"Подписчики по кварталам", "Subscribers by quarter"},
     {"Реакции по кварталам (лайки + комментарии + репосты)",
      "Reactions by quarter (likes + comments + reposts)"}},
    {{"Годовой отчёт о сообществах", "Yearly community report"},
     {"Год", "Year"},
     {"г.", "years"},
     {"Этот год", "This year"},
     {"Прошлый год", "Previous year"},
     {"Лучшие записи года", "Top posts of the year"},
     {"Активны за год", "Active this year"},
     {"Подписчики по годам", "Subscribers by year"},
     {"Реакции по годам (лайки + комментарии + репосты)",
      "Reactions by year (likes + comments + reposts)"}},
    {{"Отчёт о сообществах за учебный год", "School-year community report"},
     {"Учебный год", "School year"},
     {"уч. г.", "school years"},
     {"Этот учебный год", "This school year"},
     {"Прошлый учебный год", "Previous school year"},
     {"Лучшие записи учебного года", "Top posts of the school year"},
     {"Активны за учебный год", "Active this school year"},
     {"Подписчики по учебным годам", "Subscribers by school year"},
     {"Реакции по учебным годам (лайки + комментарии + репосты)",
      "Reactions by school year (likes + comments + reposts)"}},
};

const char *period_label(enum lang lang, enum period_kind kind, enum label l)
{
    static const enum label which[9] = {L_TITLE,     L_WEEK,       L_WEEKS_UNIT,
                                        L_THIS_WEEK, L_PREV_WEEK,  L_TOP_POSTS,
                                        L_ACTIVE,    L_CHART_SUBS, L_CHART_INTER};
    for (int i = 0; kind != PERIOD_WEEK && kind < PERIOD_KINDS && i < 9; i++)
        if (which[i] == l)
            return period_labels[kind - 1][i][lang];
    return labels[l][lang];
}

/* A kind of period's nouns in fmt_plural's three forms, one row per kind: the unit counted
 * ("3 недели") and the periods before the report's, after "за" ("за 3 предыдущие недели"). */
static const struct period_nouns {
    const char *unit[LANG_COUNT][3];
    const char *before[LANG_COUNT][3];
} period_nouns[PERIOD_KINDS] = {
    [PERIOD_WEEK] = {.unit = {{"неделя", "недели", "недель"}, {"week", "weeks", "weeks"}},
                     .before = {{"предыдущую неделю", "предыдущие недели", "предыдущих недель"},
                                {"previous week", "previous weeks", "previous weeks"}}},
    [PERIOD_MONTH] = {.unit = {{"месяц", "месяца", "месяцев"}, {"month", "months", "months"}},
                      .before = {{"предыдущий месяц", "предыдущих месяца", "предыдущих месяцев"},
                                 {"previous month", "previous months", "previous months"}}},
    [PERIOD_QUARTER] = {.unit = {{"квартал", "квартала", "кварталов"},
                                 {"quarter", "quarters", "quarters"}},
                        .before = {{"предыдущий квартал", "предыдущих квартала",
                                    "предыдущих кварталов"},
                                   {"previous quarter", "previous quarters", "previous quarters"}}},
    [PERIOD_YEAR] = {.unit = {{"год", "года", "лет"}, {"year", "years", "years"}},
                     .before = {{"предыдущий год", "предыдущих года", "предыдущих лет"},
                                {"previous year", "previous years", "previous years"}}},
    [PERIOD_SCHOOL_YEAR] =
        {.unit = {{"учебный год", "учебных года", "учебных лет"},
                  {"school year", "school years", "school years"}},
         .before = {{"предыдущий учебный год", "предыдущих учебных года", "предыдущих учебных лет"},
                    {"previous school year", "previous school years", "previous school years"}}},
};

const char *const *period_unit_forms(enum lang lang, enum period_kind kind)
{
    return period_nouns[kind < PERIOD_KINDS ? kind : PERIOD_WEEK].unit[lang];
}

const char *const *period_before_forms(enum lang lang, enum period_kind kind)
{
    return period_nouns[kind < PERIOD_KINDS ? kind : PERIOD_WEEK].before[lang];
}

const char *period_metric_label(enum lang lang, enum period_kind kind, enum metric_id m)
{
    const struct metric_def *d = metric_info(m);
    return kind != PERIOD_WEEK && d->period[lang] ? d->period[lang] : d->words[lang];
}

static const char *const nouns[N_COUNT_][LANG_COUNT][3] = {
    [N_SUBSCRIBER] = {{"подписчик", "подписчика", "подписчиков"},
                      {"subscriber", "subscribers", "subscribers"}},
    [N_POST] = {{"запись", "записи", "записей"}, {"post", "posts", "posts"}},
    [N_DAY] = {{"день", "дня", "дней"}, {"day", "days", "days"}},
    [N_REACTION] = {{"реакция", "реакции", "реакций"}, {"reaction", "reactions", "reactions"}},
    [N_PERSON] = {{"человек", "человека", "человек"}, {"person", "people", "people"}},
    [N_HOUR] = {{"час", "часа", "часов"}, {"hour", "hours", "hours"}},
};

const char *const *noun_forms(enum lang lang, enum noun n)
{
    return nouns[n][lang];
}

const char *weekday_label(enum lang lang, int d)
{
    static const char *const days[7][LANG_COUNT] = {
        {"Пн", "Mon"}, {"Вт", "Tue"}, {"Ср", "Wed"}, {"Чт", "Thu"},
        {"Пт", "Fri"}, {"Сб", "Sat"}, {"Вс", "Sun"},
    };
    return days[d >= 0 && d < 7 ? d : 0][lang];
}

static int bit_index(unsigned bit)
{
    for (int i = 0; i < NOTE_COUNT_; i++)
        if (bit == 1u << i)
            return i;
    return -1;
}

const char *note_label(enum lang lang, unsigned note_bit)
{
    int i = bit_index(note_bit);
    return i < 0 ? "" : note_labels[i][lang];
}

const char *note_key(unsigned note_bit)
{
    int i = bit_index(note_bit);
    return i < 0 ? "" : note_labels[i][LANG_COUNT];
}
