/* config_int.h: what the config loader's files share; no other module includes this. */
#ifndef VKP_CONFIG_INT_H
#define VKP_CONFIG_INT_H

#include <stddef.h>

#include "config.h"

enum key_type {
    KT_STRING, /* any non-empty text */
    KT_PATH,   /* a file path, resolved against the config's directory */
    KT_URL,    /* https:// (http:// only for loopback hosts) */
    KT_INT,    /* integer within [min, max] */
    KT_DOUBLE, /* number within [min, max] */
    KT_BOOL,   /* yes/no, true/false, on/off, 1/0 */
    KT_ENUM,   /* one of choices[], stored as text */
    KT_INDEX,  /* one of choices[], stored as its index (an int-sized enum) */
    KT_SECRET, /* text that is never echoed in a message (a password) */
    KT_HOOK,   /* a secret URL: https:// (http:// only for loopback hosts), never echoed */
    KT_SMTP,   /* smtps:// or smtp:// (STARTTLS is then required unless on loopback) */
};

/* One configuration key. Rows of a repeated section (community, channel)
 * address that section's struct, all others struct config. A default of ""
 * means "not set" and is stored as "" without being checked. */
struct key_def {
    const char *section;        /* [section] it belongs to */
    const char *key;            /* its name */
    enum key_type type;         /* how the value is checked and stored */
    size_t offset;              /* where it is stored */
    double min, max;            /* bounds for numbers */
    const char *def;            /* default as written in a file; NULL: required */
    const char *const *choices; /* allowed values for KT_ENUM, NULL-terminated */
    const char *help;           /* one line for --help */
    unsigned only;              /* [channel] keys: the channel types it belongs to (bits of
                                   1 << enum channel_type); 0: every type */
};

/* The bit of a channel type in key_def.only. */
#define CHANNEL_BIT(t) (1u << (t))

/* A section that may appear many times: each header appends one element
 * to an array of struct config. */
struct repeated {
    const char *section; /* its name */
    size_t size;         /* size of one element */
    size_t items;        /* offset of the array pointer in struct config */
    size_t count;        /* offset of its size_t count */
    size_t line;         /* offset of the element's int line */
};

/* The table of every key, one row each (config_table.c): config_nkeys rows, at most
 * CONFIG_MAXKEYS (the loader's arrays of seen keys), so that a key is one row. */
#define CONFIG_MAXKEYS 128
extern const struct key_def config_keys[];
extern const size_t config_nkeys;

/* The sections that may appear many times. */
#define CONFIG_NREPEATS 2
extern const struct repeated config_repeats[CONFIG_NREPEATS];

/* config_key_in_slots: row k stores into struct config's alert_keys, as a number
 * whatever its type (a whole number or yes/no too). */
int config_key_in_slots(const struct key_def *k);

/* config_check_url: value v of URL row k is https:// (smtps:// for KT_SMTP), or plain only
 * for a loopback host, without spaces or backslashes. 0, or -1 with why in msg (a secret
 * value shown as "(hidden)"). */
int config_check_url(const struct key_def *k, const char *v, int secret, char *msg, size_t len);

/* config_key_index: the row of [section] key, or -1. */
int config_key_index(const char *section, const char *key);

#endif
