/* metric_defs.c: the report's figures, one row each: key, words, formula, source and sums.
 *
 * Everything that lays figures out (text, HTML, CSV long and wide, JSON, XLSX, the
 * network row, the yearly report) loops over this table; tests/unit/test_metric_defs.c
 * checks the JSON schemas' figure keys and the README's figure table against it.
 * Adding a figure: a row here, its M_ id in metrics.h and where it is measured. */
#include <string.h>

#include "metrics.h"

/* clang-format off */
static const struct metric_def defs[M_COUNT] = {
    [M_SUBS_START] = {
        .key = "subscribers_start",
        .words = {"Подписчики на начало", "Subscribers at start"},
        .source = MSRC_SNAPSHOT, .network = MNET_SUM, .time = MTIME_LEVEL, .yearly = 1},
    [M_SUBS_END] = {
        .key = "subscribers_end",
        .words = {"Подписчики на конец", "Subscribers at end"},
        .source = MSRC_SNAPSHOT, .network = MNET_SUM, .time = MTIME_LEVEL, .yearly = 2},
    [M_NET] = {
        .key = "net_change",
        .words = {"Прирост подписчиков", "Net change"},
        .formula = {"подписчики на конец − на начало", "subscribers at the end − at the start"},
        .source = MSRC_SNAPSHOT, .network = MNET_SUM, .time = MTIME_FLOW, .yearly = 3},
    [M_JOINED] = {
        .key = "joined",
        .words = {"Вступили", "Joined"},
        .source = MSRC_MEMBERS, .network = MNET_SUM, .time = MTIME_FLOW},
    [M_LEFT] = {
        .key = "left",
        .words = {"Вышли", "Left"},
        .source = MSRC_MEMBERS, .network = MNET_SUM, .time = MTIME_FLOW, .lower_better = 1},
    [M_REACH] = {
        .key = "reach",
        .words = {"Охват (статистика VK)", "Reach (VK statistics)"},
        .formula = {"сумма дневного охвата stats.get: уникальные люди, видевшие записи за день "
                    "(только для администраторов группы)",
                    "the stats.get days' reach summed: unique people who saw posts that day "
                    "(group admins only)"},
        .source = MSRC_STATS, .network = MNET_SUM, .time = MTIME_FLOW},
    [M_VISITORS] = {
        .key = "visitors",
        .words = {"Посетители (статистика VK)", "Visitors (VK statistics)"},
        .formula = {"сумма дневных посетителей stats.get", "the stats.get days' visitors summed"},
        .source = MSRC_STATS, .network = MNET_SUM, .time = MTIME_FLOW},
    [M_POSTS] = {
        .key = "posts",
        .words = {"Записи сообщества", "Posts published"},
        .source = MSRC_WALL, .network = MNET_SUM, .time = MTIME_FLOW, .yearly = 4},
    [M_POSTS_MEMBERS] = {
        .key = "posts_by_members",
        .words = {"из них от участников", "of them by members"},
        .source = MSRC_WALL, .network = MNET_SUM, .time = MTIME_FLOW, .yearly = 5, .sub = 1},
    [M_REPOSTS_OTHER] = {
        .key = "reposts_of_other_communities",
        .words = {"из них репосты других сообществ", "of them reposts of other communities"},
        .source = MSRC_WALL, .network = MNET_SUM, .time = MTIME_FLOW, .yearly = 7, .sub = 1},
    [M_MEMBERS_SHARE] = {
        .key = "members_posts_share",
        .words = {"Доля записей от участников", "Share of posts by members"},
        .formula = {"записи от участников / записи", "posts by members / posts"},
        .source = MSRC_DERIVED, .network = MNET_RATIO, .time = MTIME_RATE, .is_rate = 1,
        .yearly = 6},
    [M_VIEWS] = {
        .key = "views",
        .words = {"Просмотры (все записи)", "Views (all posts)"},
        .source = MSRC_GAINS, .network = MNET_SUM, .time = MTIME_FLOW},
    [M_LIKES] = {
        .key = "likes",
        .words = {"Лайки (все записи)", "Likes (all posts)"},
        .source = MSRC_GAINS, .network = MNET_SUM, .time = MTIME_FLOW},
    [M_COMMENTS] = {
        .key = "comments",
        .words = {"Комментарии (все записи)", "Comments (all posts)"},
        .source = MSRC_GAINS, .network = MNET_SUM, .time = MTIME_FLOW},
    [M_REPOSTS] = {
        .key = "reposts",
        .words = {"Репосты (все записи)", "Reposts (all posts)"},
        .source = MSRC_GAINS, .network = MNET_SUM, .time = MTIME_FLOW},
    [M_WITHDRAWN] = {
        .key = "withdrawn",
        .words = {"Отозвано (счётчики уменьшились)", "Withdrawn (counters went down)"},
        .source = MSRC_GAINS, .network = MNET_SUM, .time = MTIME_FLOW, .lower_better = 1},
    [M_OWN_VIEWS] = {
        .key = "own_posts_views",
        .words = {"Просмотры записей недели", "Views of the week's posts"},
        .period = {"Просмотры записей периода", "Views of the period's posts"},
        .source = MSRC_OWN_POSTS, .network = MNET_SUM, .time = MTIME_FLOW, .yearly = 9},
    [M_OWN_LIKES] = {
        .key = "own_posts_likes",
        .words = {"Лайки записей недели", "Likes of the week's posts"},
        .period = {"Лайки записей периода", "Likes of the period's posts"},
        .source = MSRC_OWN_POSTS, .network = MNET_SUM, .time = MTIME_FLOW, .yearly = 8},
    [M_OWN_COMMENTS] = {
        .key = "own_posts_comments",
        .words = {"Комментарии записей недели", "Comments of the week's posts"},
        .period = {"Комментарии записей периода", "Comments of the period's posts"},
        .source = MSRC_OWN_POSTS, .network = MNET_SUM, .time = MTIME_FLOW, .yearly = 11},
    [M_OWN_REPOSTS] = {
        .key = "own_posts_reposts",
        .words = {"Репосты записей недели", "Reposts of the week's posts"},
        .period = {"Репосты записей периода", "Reposts of the period's posts"},
        .source = MSRC_OWN_POSTS, .network = MNET_SUM, .time = MTIME_FLOW, .yearly = 10},
    [M_ER_POST] = {
        .key = "er_post",
        .words = {"ERpost — вовлечённость записи", "ERpost: engagement per post"},
        .formula = {"реакции записи (лайки + комментарии + репосты) / подписчики на конец, "
                    "среднее по записям периода",
                    "a post's reactions (likes + comments + reposts) / subscribers at the end, "
                    "averaged over the period's posts"},
        .source = MSRC_DERIVED, .network = MNET_RATIO, .time = MTIME_RATE, .is_rate = 1},
    [M_ER_VIEW] = {
        .key = "er_view",
        .words = {"ERview — вовлечённость по просмотрам", "ERview: engagement by views"},
        .formula = {"реакции записи / её просмотры, среднее по записям периода с просмотрами",
                    "a post's reactions / its views, averaged over the period's posts with views"},
        .source = MSRC_DERIVED, .network = MNET_RATIO, .time = MTIME_RATE, .is_rate = 1},
    [M_ER_DAY] = {
        .key = "er_day",
        .words = {"ERday — вовлечённость за день", "ERday: engagement per day"},
        .formula = {"реакции на все записи за период / дни периода / подписчики на конец",
                    "reactions to all posts in the period / its days / subscribers at the end"},
        .source = MSRC_DERIVED, .network = MNET_RATIO, .time = MTIME_RATE, .is_rate = 1},
    [M_ER_REACH] = {
        .key = "er_reach",
        .words = {"ERReach — вовлечённость по охвату", "ERReach: engagement by reach"},
        .formula = {"реакции на все записи за период / охват (статистика VK); просмотры — не охват",
                    "reactions to all posts in the period / reach (VK statistics); views are "
                    "not reach"},
        .source = MSRC_DERIVED, .network = MNET_RATIO, .time = MTIME_RATE, .is_rate = 1},
    [M_ER_SUBS] = {
        .key = "er_subscribers",
        .words = {"ER — вовлечённость по подписчикам", "ER: engagement by subscribers"},
        .formula = {"реакции на все записи за период / подписчики на конец",
                    "reactions to all posts in the period / subscribers at the end"},
        .source = MSRC_DERIVED, .network = MNET_RATIO, .time = MTIME_RATE, .is_rate = 1},
    [M_ACTIVE] = {
        .key = "active_people",
        .words = {"Активные люди", "Active people"},
        .source = MSRC_ACTIVITY, .network = MNET_DISTINCT, .time = MTIME_PEOPLE, .yearly = 12,
        .has_bounds = 1},
    [M_ACTIVE_MEMBERS] = {
        .key = "active_members",
        .words = {"из них участники", "of them members"},
        .source = MSRC_ACTIVITY, .network = MNET_DISTINCT, .time = MTIME_PEOPLE, .sub = 1,
        .has_bounds = 1},
    [M_ACTIVE_SHARE] = {
        .key = "active_share",
        .words = {"Доля активных участников", "Share of members active"},
        .formula = {"активные участники / участники в списке на конец",
                    "active members / members listed at the end"},
        .source = MSRC_DERIVED, .network = MNET_RATIO, .time = MTIME_RATE, .is_rate = 1},
};
/* clang-format on */

const struct metric_def *metric_info(enum metric_id m)
{
    return &defs[m];
}

int metric_by_key(const char *key)
{
    for (int m = 0; m < M_COUNT; m++)
        if (strcmp(defs[m].key, key) == 0)
            return m;
    return -1;
}
