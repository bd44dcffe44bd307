/* suggest.h: "did you mean ...?" for a misspelt key, section, command or time zone. */
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

#endif
