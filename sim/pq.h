/*
 * pq.h - the pending-event set: a ladder queue of (time, sequence) keys.
 *
 * Entries come out in ascending (time, sequence), so entries with equal time
 * come out first in, first out. Each entry carries a payload of three
 * pointers (the engine's action, subject and object). A key pushed must not be earlier than the last key popped (a
 * discrete-event simulation never schedules in the past).
 *
 * Structure (Tang, Goh and Thng, ACM TOMACS 2005): an unsorted "top" for the
 * far future, "rungs" of buckets of decreasing width for the near future,
 * and a short sorted "bottom" popped from its end. Each entry is moved a
 * small constant number of times on average, whatever the number pending.
 * The payload lives in the entry's node, read once when it is popped.
 */
#ifndef MX_PQ_H
#define MX_PQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pq pq;
typedef struct {
	void *action, *subject, *object;
} pq_payload;
typedef uint64_t pq_handle; /* generation << 32 | node; never 0 */

/* Returns a new empty queue (free with pq_free); aborts when out of
 * memory. */
pq *pq_new(void);
void pq_free(pq *q);

/* Adds a copy of *p with key (t, seq); seq must grow with every push. */
pq_handle pq_push(pq *q, int64_t t, uint64_t seq, const pq_payload *p);

/* Removes the live entry with the least (t, seq); returns its payload (valid
 * until the next push) and key in *t, *seq, or NULL when none is left. */
const pq_payload *pq_pop(pq *q, int64_t *t, uint64_t *seq);

/* The least live key, without removing its entry (cancelled entries
 * before it are dropped); false when none is left. */
bool pq_peek(pq *q, int64_t *t, uint64_t *seq);

/* Marks an entry cancelled (it is dropped when reached); false if it was
 * already popped or cancelled. */
bool pq_cancel(pq *q, pq_handle h);

/* Entries held, cancelled ones included. */
size_t pq_size(const pq *q);

#endif
