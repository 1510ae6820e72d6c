/*
 * cache.c - response-body cache (cache.h): a chained hash table of entries
 * on a doubly linked LRU list, one mutex. Lookups copy the body out under
 * the lock, so an entry can be evicted the moment after.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jx/cache.h"

#define NBUCKETS 4096u

struct entry {
	struct entry *next_hash;
	struct entry *prev, *next; /* LRU: head is the most recent */
	size_t len, klen;
	char *key; /* points into the same allocation, after the body */
	char body[];
};

struct jx_cache {
	pthread_mutex_t mu;
	struct entry *buckets[NBUCKETS];
	struct entry *head, *tail;
	size_t bytes, max_bytes, max_entry;
	unsigned long hits, misses;
};

static uint32_t hash(const char *s, size_t n);
static void lru_unlink(struct jx_cache *c, struct entry *e);
static void lru_push(struct jx_cache *c, struct entry *e);
static void drop(struct jx_cache *c, struct entry *e);

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

struct jx_cache *
jx_cache_new(size_t max_bytes, size_t max_entry)
{
	struct jx_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c);
		return NULL;
	}
	c->max_bytes = max_bytes;
	c->max_entry = max_entry;
	return c;
}

void
jx_cache_free(struct jx_cache *c)
{
	struct entry *e, *n;

	if (c == NULL)
		return;
	for (e = c->head; e != NULL; e = n) {
		n = e->next;
		free(e);
	}
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static void
lru_unlink(struct jx_cache *c, struct entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_push(struct jx_cache *c, struct entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head != NULL)
		c->head->prev = e;
	c->head = e;
	if (c->tail == NULL)
		c->tail = e;
}

/* Remove e from the table and the list and free it. */
static void
drop(struct jx_cache *c, struct entry *e)
{
	struct entry **pp = &c->buckets[hash(e->key, e->klen) % NBUCKETS];

	while (*pp != NULL && *pp != e)
		pp = &(*pp)->next_hash;
	if (*pp == e)
		*pp = e->next_hash;
	lru_unlink(c, e);
	c->bytes -= e->len + e->klen;
	free(e);
}

bool
jx_cache_get(struct jx_cache *c, const char *key, char **body, size_t *len)
{
	struct entry *e;
	size_t klen = strlen(key);
	char *copy = NULL;
	bool found = false;

	if (c == NULL)
		return false;
	pthread_mutex_lock(&c->mu);
	for (e = c->buckets[hash(key, klen) % NBUCKETS]; e != NULL;
	     e = e->next_hash)
		if (e->klen == klen && memcmp(e->key, key, klen) == 0)
			break;
	if (e != NULL) {
		copy = malloc(e->len + 1);
		if (copy != NULL) {
			memcpy(copy, e->body, e->len);
			copy[e->len] = '\0';
			*body = copy;
			*len = e->len;
			found = true;
			lru_unlink(c, e);
			lru_push(c, e);
		}
	}
	if (found)
		c->hits++;
	else
		c->misses++;
	pthread_mutex_unlock(&c->mu);
	return found;
}

void
jx_cache_put(struct jx_cache *c, const char *key, const char *body, size_t len)
{
	struct entry *e, *old;
	size_t klen = strlen(key);
	uint32_t b;

	if (c == NULL || len > c->max_entry || len + klen > c->max_bytes)
		return;
	e = malloc(sizeof(*e) + len + klen + 1);
	if (e == NULL)
		return;
	memcpy(e->body, body, len);
	e->key = e->body + len;
	memcpy(e->key, key, klen + 1);
	e->len = len;
	e->klen = klen;
	e->prev = e->next = e->next_hash = NULL;
	b = hash(key, klen) % NBUCKETS;
	pthread_mutex_lock(&c->mu);
	for (old = c->buckets[b]; old != NULL; old = old->next_hash)
		if (old->klen == klen && memcmp(old->key, key, klen) == 0)
			break;
	if (old != NULL)
		drop(c, old);
	while (c->tail != NULL && c->bytes + len + klen > c->max_bytes)
		drop(c, c->tail);
	e->next_hash = c->buckets[b];
	c->buckets[b] = e;
	lru_push(c, e);
	c->bytes += len + klen;
	pthread_mutex_unlock(&c->mu);
}

void
jx_cache_stats(struct jx_cache *c, unsigned long *hits, unsigned long *misses)
{
	pthread_mutex_lock(&c->mu);
	*hits = c->hits;
	*misses = c->misses;
	pthread_mutex_unlock(&c->mu);
}
