/* geo.c: the fake's VK city directory: the demo region's towns, generated villages, homonyms. */
#include "geo.h"

#include <stdio.h>
#include <string.h>

#include "tables.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Regions, with made-up ids (VK's real ones do not matter to anyone here). */
static const struct geo_region regions[] = {
    {GEO_REGION_ID, "Челябинская область"},
    {1005, "Свердловская область"},
    {1006, "Курганская область"},
    {1007, "Оренбургская область"},
    {1008, "Республика Башкортостан"},
    {1009, "Тюменская область"},
    {1010, "Пермский край"},
    {1011, "Республика Татарстан"},
    {1012, "Новосибирская область"},
    {1013, "Москва"},
    {1014, "Санкт-Петербург"},
};

/* The 27 districts of the region: the stem VK puts before «район» and the official name. */
struct district {
    const char *stem; /* «Агаповский» */
    const char *name; /* the municipality's official name (ground truth) */
};

static const struct district districts[] = {
    {"Агаповский", "Агаповский муниципальный округ"},
    {"Аргаяшский", "Аргаяшский муниципальный округ"},
    {"Ашинский", "Ашинский муниципальный округ"},
    {"Брединский", "Брединский муниципальный округ"},
    {"Варненский", "Варненский муниципальный округ"},
    {"Верхнеуральский", "Верхнеуральский муниципальный округ"},
    {"Еманжелинский", "Еманжелинский муниципальный округ"},
    {"Еткульский", "Еткульский муниципальный округ"},
    {"Карталинский", "Карталинский муниципальный округ"},
    {"Каслинский", "Каслинский муниципальный округ"},
    {"Катав-Ивановский", "Катав-Ивановский муниципальный округ"},
    {"Кизильский", "Кизильский муниципальный округ"},
    {"Коркинский", "Коркинский муниципальный округ"},
    {"Красноармейский", "Красноармейский муниципальный округ"},
    {"Кунашакский", "Кунашакский муниципальный округ"},
    {"Кусинский", "Кусинский муниципальный округ"},
    {"Нагайбакский", "Нагайбакский муниципальный округ"},
    {"Нязепетровский", "Нязепетровский муниципальный округ"},
    {"Октябрьский", "Октябрьский муниципальный округ"},
    {"Пластовский", "Пластовский муниципальный округ"},
    {"Саткинский", "Саткинский муниципальный округ"},
    {"Сосновский", "Сосновский муниципальный округ"},
    {"Троицкий", "Троицкий муниципальный округ"},
    {"Увельский", "Увельский муниципальный округ"},
    {"Уйский", "Уйский муниципальный округ"},
    {"Чебаркульский", "Чебаркульский муниципальный округ"},
    {"Чесменский", "Чесменский муниципальный округ"},
};

/* The urban okrugs, in tables_cities' order of their centres. */
static const char *const okrugs[] = {
    "Челябинский городской округ",    "Магнитогорский городской округ",
    "Златоустовский городской округ", "Миасский городской округ",
    "Копейский городской округ",      "Троицкий городской округ",
    "Озёрский городской округ",       "Снежинский городской округ",
    "Чебаркульский городской округ",  "Кыштымский городской округ",
    "Южноуральский городской округ",  "Верхнеуфалейский городской округ",
    "Трёхгорный городской округ",     "Усть-Катавский городской округ",
    "Карабашский городской округ",    "Локомотивный городской округ",
};

/*
 * Per town of the region in tables_cities (indexes 0..45): its district
 * (index into districts), or -(1 + okrug index) for a town that is an
 * urban okrug of its own, which VK lists without an area.
 */
static const int town_place[] = {
    -1, -2, -3, -4, -5, -6, -7, -8, 20, -9, -10, 12, -11, 2, 8,  6,  -12, 9,  20, 10, -13, -14, -15,
    19, 17, 2,  2,  10, 15, 5,  23, 21, 7,  1,   14, 3,   4, 11, 18, 16,  26, 24, 0,  21,  6,   -16,
};

/* Common village names: every district draws 40 of these, so most repeat across districts. */
static const char *const village_names[64] = {
    "Берёзовка",    "Михайловка",   "Александровка",  "Николаевка",      "Ивановка",
    "Новопокровка", "Первомайский", "Октябрьский",    "Петропавловский", "Южно-Степной",
    "Береговой",    "Шемаха",       "Нижняя Санарка", "Светлый",         "Заречный",
    "Калиновка",    "Сосновка",     "Подгорный",      "Восточный",       "Новониколаевка",
    "Покровка",     "Степной",      "Луговой",        "Черёмушки",       "Ключи",
    "Озёрный",      "Лесной",       "Садовый",        "Полевой",         "Солнечный",
    "Дубровка",     "Краснополье",  "Клястицкое",     "Ленинский",       "Советский",
    "Майский",      "Весёлый",      "Красный Яр",     "Богородское",     "Спасское",
    "Воскресенка",  "Никольское",   "Троицкое",       "Петровка",        "Васильевка",
    "Андреевка",    "Фёдоровка",    "Григорьевка",    "Павловка",        "Сергеевка",
    "Ольховка",     "Рябиновка",    "Кленовка",       "Липовка",         "Осиновка",
    "Вишнёвка",     "Малиновка",    "Яблоневка",      "Зелёная Роща",    "Новоселье",
    "Старое Поле",  "Горный",       "Речной",         "Тихий",
};

/* Places elsewhere called like villages of the region: the titles a title match confuses. */
static const struct {
    const char *title; /* shared with villages of the region */
    int64_t region_id; /* where it really is */
    const char *area;  /* its district there */
} homonyms[] = {
    {"Первомайский", 1007, "Оренбургский район"},
    {"Берёзовка", 1006, "Кетовский район"},
    {"Октябрьский", 1008, "Уфимский район"},
    {"Светлый", 1007, "Светлинский район"},
    {"Заречный", 1005, ""},
    {"Михайловка", 1008, "Бижбулякский район"},
};

/* The region of each town outside it in tables_cities (46..): Москва, СПб, Екатеринбург, ... */
static const int64_t outside_region[] = {1013, 1014, 1005, 1009, 1006,
                                         1008, 1007, 1010, 1011, 1012};

#define N_TOWNS 46 /* towns of the region at the head of tables_cities */
#define N_DISTRICT_VILLAGES (N_OF(districts) * GEO_VILLAGES_PER_DISTRICT)
#define N_OKRUG_VILLAGES ((N_OF(okrugs) - 1) * GEO_VILLAGES_PER_OKRUG)
#define MAX_CITIES 1400

static struct geo_city cities[MAX_CITIES];
static struct geo the_geo;

/* How VK words a district: mostly «район», some the newer names, to keep matching honest. */
static void district_area(size_t d, char *out, size_t len)
{
    static const char *const forms[] = {"район", "район", "муниципальный район",
                                        "муниципальный округ"};
    snprintf(out, len, "%s %s", districts[d].stem, forms[d % N_OF(forms)]);
}

static void build(void)
{
    size_t n = 0;

    _Static_assert(N_OF(town_place) == N_TOWNS, "one place per town");
    _Static_assert(N_TOWNS + N_DISTRICT_VILLAGES + N_OKRUG_VILLAGES + N_OF(homonyms) +
                           N_OF(outside_region) <=
                       MAX_CITIES,
                   "room for the directory");
    for (size_t i = 0; i < tables_n_cities; i++) {
        struct geo_city *c = &cities[n++];
        c->id = tables_cities[i].id;
        snprintf(c->title, sizeof c->title, "%s", tables_cities[i].title);
        if (i < N_TOWNS) {
            int p = town_place[i];
            c->region_id = GEO_REGION_ID;
            if (p >= 0) {
                district_area((size_t)p, c->area, sizeof c->area);
                c->municipality = districts[p].name;
            } else {
                c->important = 1;
                c->municipality = okrugs[-p - 1];
            }
        } else {
            c->region_id = outside_region[i - N_TOWNS];
            c->important = 1;
        }
    }
    int64_t id = GEO_VILLAGE_ID_BASE;
    for (size_t d = 0; d < N_OF(districts); d++) {
        for (size_t k = 0; k < GEO_VILLAGES_PER_DISTRICT; k++) {
            struct geo_city *c = &cities[n++];
            c->id = id++;
            /* 13 is prime to 64: a district never repeats a name, districts share many. */
            snprintf(c->title, sizeof c->title, "%s", village_names[(d * 11 + k * 13) % 64]);
            district_area(d, c->area, sizeof c->area);
            c->region_id = GEO_REGION_ID;
            c->municipality = districts[d].name;
        }
    }
    for (size_t o = 1; o < N_OF(okrugs); o++) {
        for (size_t k = 0; k < GEO_VILLAGES_PER_OKRUG; k++) {
            struct geo_city *c = &cities[n++];
            c->id = id++;
            snprintf(c->title, sizeof c->title, "%s", village_names[(o * 7 + k * 29) % 64]);
            snprintf(c->area, sizeof c->area, "%s", okrugs[o]);
            c->region_id = GEO_REGION_ID;
            c->municipality = okrugs[o];
        }
    }
    id = GEO_HOMONYM_ID_BASE;
    for (size_t h = 0; h < N_OF(homonyms); h++) {
        struct geo_city *c = &cities[n++];
        c->id = id++;
        snprintf(c->title, sizeof c->title, "%s", homonyms[h].title);
        snprintf(c->area, sizeof c->area, "%s", homonyms[h].area);
        c->region_id = homonyms[h].region_id;
    }
    the_geo = (struct geo){regions, N_OF(regions), cities, n, N_OF(homonyms)};
}

const struct geo *geo_get(void)
{
    if (!the_geo.cities)
        build();
    return &the_geo;
}

const char *geo_region_title(int64_t id)
{
    for (size_t i = 0; i < N_OF(regions); i++)
        if (regions[i].id == id)
            return regions[i].title;
    return NULL;
}

/* splitmix64: a well-mixed hash of the user id. */
static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* The index of village k of district d. */
static int village_of(size_t d, uint64_t k)
{
    return (int)(tables_n_cities + d * GEO_VILLAGES_PER_DISTRICT + k % GEO_VILLAGES_PER_DISTRICT);
}

int geo_resettle(int table_index, int64_t user_id)
{
    const struct geo *g = geo_get();
    uint64_t h = mix((uint64_t)user_id), pct = h % 100, k = h / 100;

    if (table_index < 0)
        return table_index;
    if (table_index >= N_TOWNS) /* elsewhere: a quarter live in a homonym of a village */
        return pct < 25 ? (int)(g->n_cities - g->n_homonyms + k % g->n_homonyms) : table_index;
    int p = town_place[table_index];
    if (p >= 0) /* half of a district's people live in its villages */
        return pct < 50 ? village_of((size_t)p, k) : table_index;
    /* Big towns' people partly live in the districts around them, two of which have no town
     * of their own in tables_cities: Троицк → Троицкий, Чебаркуль → Чебаркульский,
     * Челябинск → Красноармейский. */
    if (table_index == 5 && pct < 40)
        return village_of(22, k);
    if (table_index == 9 && pct < 40)
        return village_of(25, k);
    if (table_index == 0 && pct < 8)
        return village_of(13, k);
    /* Златоуст's villages VK files under «Златоустовский городской округ». */
    if (table_index == 2 && pct < 20)
        return (int)(tables_n_cities + N_DISTRICT_VILLAGES + GEO_VILLAGES_PER_OKRUG +
                     k % GEO_VILLAGES_PER_OKRUG);
    return table_index;
}
