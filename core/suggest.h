/* suggest.h: "did you mean ...?" for a misspelt key, section, command, option or time zone. */
#ifndef VKP_SUGGEST_H
#define VKP_SUGGEST_H

#include <stddef.h>

/* The i-th candidate of a list, or NULL to skip it. */
typedef const char *(*suggest_item_fn)(size_t i, const void *ud);

/*
 * suggest_closest: of n candidates, the one nearest to word (edit distance with swapped
 * letters counting once, ignoring case), if it is near enough to be a typo: at most a
 * third of the word's length, and at least 1. NULL when none is.
 */
const char *suggest_closest(const char *word, suggest_item_fn item, size_t n, const void *ud);

/* suggest_distance: the distance suggest_closest uses; words over 63 bytes are far. */
size_t suggest_distance(const char *a, const char *b);

struct option;

/*
 * suggest_option: what is wrong with the command-line option getopt_long (opterr 0) just
 * refused with '?', in words for "vkpulse CMD: ...": "unknown option '--weak' (did you mean
 * '--week'?)", "'--we' is ambiguous: --week --weeks", "'--week' needs a value", "'--once'
 * takes no value", "unknown option '-x'". opts and shorts are the command's table (ended by
 * a row with a NULL name) and optstring; arg the argv element getopt_long took last
 * (argv[optind - 1]); bad its optopt: 0 for a long option it does not know or cannot tell
 * apart, else the option's letter. Writes msg (always terminated).
 */
void suggest_option(const struct option *opts, const char *shorts, const char *arg, int bad,
                    char *msg, size_t len);

#endif
