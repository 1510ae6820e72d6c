/*
 * cache.h - a bounded in-process cache of response bodies, keyed by text
 * that names everything the body depends on (record id, record version,
 * the caller's role ...), evicting the least recently used entries past a
 * byte budget. Thread-safe.
 *
 * A key must change whenever the body would: the web API keys on the
 * record's version number, which every write bumps in the database, so an
 * entry can never be served after the record changed, whichever process
 * changed it. The cache holds no state the database does not also hold;
 * losing it costs only time. No I/O.
 */
#ifndef JX_CACHE_H
#define JX_CACHE_H

#include <stdbool.h>
#include <stddef.h>

struct jx_cache;

/* A cache of at most max_bytes of bodies (and keys), entries of at most
 * max_entry bytes. NULL when out of memory. */
struct jx_cache *jx_cache_new(size_t max_bytes, size_t max_entry);

/* Free c and every entry. Accepts NULL. */
void jx_cache_free(struct jx_cache *c);

/* A malloc'd copy of the body stored under key into *body / *len (owned by
 * the caller) and true; false when absent or out of memory. c may be NULL
 * (always false). */
bool jx_cache_get(struct jx_cache *c, const char *key, char **body,
                  size_t *len);

/* Store a copy of body[0..len) under key, replacing an entry of the same
 * key. Bodies over max_entry and failed allocations are not stored. c may
 * be NULL (nothing happens). */
void jx_cache_put(struct jx_cache *c, const char *key, const char *body,
                  size_t len);

/* Counters since creation: lookups that hit and that missed. */
void jx_cache_stats(struct jx_cache *c, unsigned long *hits,
                    unsigned long *misses);

#endif
