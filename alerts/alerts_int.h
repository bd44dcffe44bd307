/* alerts_int.h: what alerts.c and alerts_text.c share; no other module includes this. */
#ifndef VKP_ALERTS_INT_H
#define VKP_ALERTS_INT_H

#include <cjson/cJSON.h>

#include "alerts.h"

/* alerts_is_en: lang asks for English (anything else is Russian). */
int alerts_is_en(const char *lang);

/* alerts_figures_json: an alert's figures as the JSON of its details column and payload. */
cJSON *alerts_figures_json(const struct alert_item *it);

/* alerts_figures_parse: the figures back from the details column (missing keys stay 0). */
void alerts_figures_parse(struct alert_item *it, const char *details);

#endif
