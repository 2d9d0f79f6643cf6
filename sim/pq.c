/*
 * pq.c - ladder queue (see pq.h).
 *
 * Invariant: every key in top is >= top_start; every key in rung k is at or
 * after the start of its current bucket and below the current boundary of
 * the next coarser live rung (a rung's last bucket runs on to it); every key
 * in bottom is below the boundary of the finest live rung. Hence
 * bottom < rungs (finest first) < top, and popping the end of the sorted
 * bottom yields the least key.
 */
#include "pq.h"
#include "xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* WALK_AHEAD: buckets between the one popped and the one whose list is
 * walked ahead, STEPS nodes per pop, fetching each node (measured best of WALK_AHEAD
 * 1, 2, 3 and STEPS 1, 2, 4 with the hold benchmark at 10^6: a bucket's
 * list is a chain of cache misses). */
enum { MAX_RUNGS = 8, SPLIT = 48, BOTTOM_MAX = 128, WALK_AHEAD = 2, STEPS = 1 };

typedef struct {
	int64_t t;
	uint64_t seq;
	uint32_t gen; /* generation << 1 | cancelled (links live in pq.next) */
	pq_payload p;
} node; /* 48 bytes (padded) */

typedef struct {
	int64_t t;
	uint64_t seq;
	uint32_t node;
} entry;

typedef struct {
	int64_t start, width;
	int64_t bound; /* start of bucket cur (saturating): see set_cur */
	size_t nb, cur, cap;
	struct {
		uint32_t head, count; /* list of nodes, NIL-terminated; length */
	} * b;
} rung;

#define NIL UINT32_MAX

struct pq {
	node *nodes;
	uint32_t *next; /* bucket, top and free list links, apart from the
			   nodes: a list is walked in this dense array, then
			   its nodes are read independently, in parallel */
	uint32_t nnodes, ncap, free_node;
	uint32_t top; /* list */
	size_t ntop;
	int64_t top_min, top_max, top_start;
	rung r[MAX_RUNGS];
	int nr;
	entry *bot; /* sorted descending: least key last */
	size_t nbot, bcap;
	size_t size;
	uint32_t ahead; /* walks the next bucket's list, fetching its nodes */
};

pq *pq_new(void)
{
	pq *q = xrealloc(NULL, sizeof *q);
	memset(q, 0, sizeof *q);
	q->free_node = NIL;
	q->top = NIL;
	q->ahead = NIL;
	q->top_start = INT64_MIN;
	return q;
}

void pq_free(pq *q)
{
	if (!q)
		return;
	for (int k = 0; k < MAX_RUNGS; k++)
		free(q->r[k].b);
	free(q->nodes);
	free(q->next);
	free(q->bot);
	free(q);
}

size_t pq_size(const pq *q)
{
	return q->size;
}

static uint32_t node_new(pq *q, int64_t t, uint64_t seq, const pq_payload *p)
{
	uint32_t i = q->free_node;
	if (i != NIL) {
		q->free_node = q->next[i];
	} else {
		if (q->nnodes == q->ncap) {
			q->ncap = q->ncap ? 2 * q->ncap : 1024;
			q->nodes = xrealloc(q->nodes, q->ncap * sizeof *q->nodes);
			q->next = xrealloc(q->next, q->ncap * sizeof *q->next);
		}
		i = q->nnodes++;
		q->nodes[i].gen = 2;
	}
	node *n = &q->nodes[i];
	n->t = t;
	n->seq = seq;
	q->next[i] = NIL;
	n->p = *p;
	return i;
}

static int before(int64_t t, uint64_t s, const entry *e)
{
	return t < e->t || (t == e->t && s < e->seq);
}

static void bottom_insert(pq *q, int64_t t, uint64_t seq, uint32_t item)
{
	if (q->nbot == q->bcap) {
		q->bcap = q->bcap ? 2 * q->bcap : 256;
		q->bot = xrealloc(q->bot, q->bcap * sizeof *q->bot);
	}
	/* the insertion sort's step from the end (the earliest end): on
	 * average half the bottom moves either way, and a loop of a few
	 * entries is cheaper than a search and a call to memmove */
	entry e = {t, seq, item};
	size_t j = q->nbot;
	for (; j > 0 && before(q->bot[j - 1].t, q->bot[j - 1].seq, &e); j--)
		q->bot[j] = q->bot[j - 1];
	q->bot[j] = e;
	q->nbot++;
}

/* Makes bucket cur rung g's current one; its start, saturating near the
 * end of time, is kept for pq_push's comparisons. */
static void set_cur(rung *g, size_t cur)
{
	int64_t off;
	g->cur = cur;
	if (__builtin_mul_overflow((int64_t)cur, g->width, &off) ||
	    __builtin_add_overflow(g->start, off, &g->bound))
		g->bound = INT64_MAX;
}

static void rung_fill(pq *q, int k, int64_t start, int64_t width, size_t nb, uint32_t list);

/* Turns the bottom into a new finest rung over its keys' range; returns
 * false (bottom unchanged) when the keys are all equal or no rung is
 * left. */
static bool bottom_spill(pq *q)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	for (size_t i = 0; i < q->nbot; i++) {
		int64_t t = q->bot[i].t;
		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	/* an exhausted finest rung is replaced, not stacked on */
	int k = q->nr && q->r[q->nr - 1].cur == q->r[q->nr - 1].nb ? q->nr - 1 : q->nr;
	if (hi == lo || k == MAX_RUNGS)
		return false;
	uint32_t list = NIL;
	for (size_t i = 0; i < q->nbot; i++) {
		uint32_t n = q->bot[i].node;
		q->next[n] = list;
		list = n;
	}
	int64_t width = (hi - lo) / (int64_t)q->nbot + 1;
	rung_fill(q, k, lo, width, (size_t)((hi - lo) / width) + 1, list);
	q->nr = k + 1;
	q->nbot = 0;
	return true;
}

pq_handle pq_push(pq *q, int64_t t, uint64_t seq, const pq_payload *p)
{
	q->size++;
	uint32_t i = node_new(q, t, seq, p);
	pq_handle h = (pq_handle)(q->nodes[i].gen >> 1) << 32 | i;
	if (t >= q->top_start) {
		q->next[i] = q->top;
		q->top = i;
		if (!q->ntop++ || t < q->top_min)
			q->top_min = t;
		if (q->ntop == 1 || t > q->top_max)
			q->top_max = t;
		return h;
	}
	for (int k = 0; k < q->nr; k++) {
		rung *g = &q->r[k];
		/* an exhausted rung holds nothing: finer rungs take over */
		if (g->cur < g->nb && t >= g->bound) {
			/* a finer rung's last bucket runs on to the coarser
			 * rung's boundary */
			size_t b = (size_t)((t - g->start) / g->width);
			if (b >= g->nb)
				b = g->nb - 1;
			q->next[i] = g->b[b].head;
			g->b[b].head = i;
			g->b[b].count++;
			return h;
		}
	}
	bottom_insert(q, t, seq, i);
	if (q->nbot > BOTTOM_MAX)
		bottom_spill(q);
	return h;
}

/* Makes rung k span [start, start + nb * width) and moves list into it. */
static void rung_fill(pq *q, int k, int64_t start, int64_t width, size_t nb, uint32_t list)
{
	rung *g = &q->r[k];
	if (nb > g->cap) {
		g->cap = nb;
		g->b = xrealloc(g->b, nb * sizeof *g->b);
	}
	for (size_t b = 0; b < nb; b++) {
		g->b[b].head = NIL;
		g->b[b].count = 0;
	}
	g->start = start;
	g->width = width;
	g->nb = nb;
	set_cur(g, 0);
	while (list != NIL) {
		node *n = &q->nodes[list];
		uint32_t next = q->next[list];
		size_t b = (size_t)((n->t - start) / width);
		q->next[list] = g->b[b].head;
		g->b[b].head = list;
		g->b[b].count++;
		list = next;
	}
}

static int cmp_desc(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? 1 : -1;
	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

/* Moves a list (bottom is empty) into bottom, sorted. */
static void bottom_fill(pq *q, uint32_t list, size_t n)
{
	if (n > q->bcap) {
		q->bcap = n;
		q->bot = xrealloc(q->bot, n * sizeof *q->bot);
	}
	size_t m = 0;
	for (; list != NIL; list = q->next[list])
		q->bot[m++].node = list;
	for (size_t k = 0; k < m; k++) {
		const node *nd = &q->nodes[q->bot[k].node];
		q->bot[k].t = nd->t;
		q->bot[k].seq = nd->seq;
	}
	q->nbot = m;
}

static void sort_bottom(pq *q)
{
	size_t m = q->nbot, k = 1;
	/* a bucket of one instant comes in order already (its list is last
	 * pushed first: descending sequence) */
	while (k < m && cmp_desc(&q->bot[k - 1], &q->bot[k]) < 0)
		k++;
	if (k >= m)
		return;
	if (m > 32) {
		qsort(q->bot, m, sizeof *q->bot, cmp_desc);
		return;
	}
	for (size_t i = k; i < m; i++) { /* insertion past the sorted prefix */
		entry x = q->bot[i];
		size_t j = i;
		for (; j > 0 && cmp_desc(&q->bot[j - 1], &x) > 0; j--)
			q->bot[j] = q->bot[j - 1];
		q->bot[j] = x;
	}
}

/* Refills the empty bottom from the rungs or top; returns -1 if empty. */
static int advance(pq *q)
{
	for (;;) {
		if (!q->nr) {
			if (!q->ntop)
				return -1;
			int64_t span = q->top_max - q->top_min;
			int64_t width = span / (int64_t)q->ntop + 1;
			size_t nb = (size_t)(span / width) + 1;
			rung_fill(q, 0, q->top_min, width, nb, q->top);
			/* above every key moved, and within rung 0 */
			q->top_start = q->top_max == INT64_MAX ? INT64_MAX : q->top_max + 1;
			q->top = NIL;
			q->ntop = 0;
			q->nr = 1;
		}
		rung *g = &q->r[q->nr - 1];
		size_t cur = g->cur;
		while (cur < g->nb && g->b[cur].head == NIL)
			cur++;
		set_cur(g, cur);
		if (g->cur == g->nb) {
			q->nr--;
			continue;
		}
		uint32_t list = g->b[g->cur].head;
		size_t cnt = g->b[g->cur].count;
		set_cur(g, g->cur + 1);
		/* a rung whose last bucket is taken is exhausted: its child
		 * replaces it */
		int k = g->cur == g->nb ? q->nr - 1 : q->nr;
		bottom_fill(q, list, cnt);
		if (cnt > SPLIT && g->width > 1 && k < MAX_RUNGS) {
			q->nr = k;
			if (bottom_spill(q)) /* a finer rung over the keys' range */
				continue;
		}
		sort_bottom(q);
		/* a later bucket's nodes are likely cache misses: its list is
		 * walked a step per pop (pq_pop) while the caller works */
		size_t b = g->cur + WALK_AHEAD;
		q->ahead = b < g->nb ? g->b[b].head : NIL;
		return 0;
	}
}

/* Removes the bottom's last entry (the bottom is not empty) and frees its
 * node (next generation, not cancelled), whose payload stays valid until
 * the next push; *cancelled says whether it had been. */
static node *take(pq *q, bool *cancelled)
{
	uint32_t i = q->bot[--q->nbot].node;
	node *n = &q->nodes[i];
	if (q->nbot) /* the next one's payload, read at the next pop */
		__builtin_prefetch(&q->nodes[q->bot[q->nbot - 1].node]);
	/* a hint only: the walk may stray into the free list */
	for (int k = 0; k < STEPS && q->ahead != NIL; k++) {
		__builtin_prefetch(&q->nodes[q->ahead]);
		q->ahead = q->next[q->ahead];
	}
	*cancelled = n->gen & 1;
	n->gen = (n->gen | 1) + 1;
	q->next[i] = q->free_node;
	q->free_node = i;
	q->size--;
	return n;
}

const pq_payload *pq_pop(pq *q, int64_t *t, uint64_t *seq)
{
	for (;;) {
		if (!q->nbot && advance(q))
			return NULL;
		bool cancelled;
		node *n = take(q, &cancelled);
		if (cancelled)
			continue;
		*t = n->t;
		*seq = n->seq;
		return &n->p;
	}
}

bool pq_peek(pq *q, int64_t *t, uint64_t *seq)
{
	for (;;) {
		if (!q->nbot && advance(q))
			return false;
		const entry *e = &q->bot[q->nbot - 1];
		if (!(q->nodes[e->node].gen & 1)) {
			*t = e->t;
			*seq = e->seq;
			return true;
		}
		bool cancelled;
		take(q, &cancelled);
	}
}

bool pq_cancel(pq *q, pq_handle h)
{
	uint32_t i = (uint32_t)h;
	if (i >= q->nnodes)
		return false;
	node *n = &q->nodes[i];
	if (n->gen != (uint32_t)(h >> 32) << 1)
		return false;
	n->gen |= 1;
	return true;
}
