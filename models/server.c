/*
 * server.c - receiving servers and their replies (see server.h).
 */
#include "server.h"
#include "../sim/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A per-sender token bucket; t == 0: never used (times are stored + 1). */
typedef struct {
	double tokens;
	sim_time t;
} bucket;

typedef struct {
	int busy;
	bool down;
	sim_time down_at, up_at; /* when it last went down, came back (-1: never) */
	uint64_t stored;         /* backups: messages in its queue or being received */
	double stored_bytes;
	st_tw sessions, bucket_sessions;
	uint64_t bucket_delivered;
	int bucket_peak;
} state;

struct servers {
	const mdl_config *c;
	mdl_result *r;
	state *st;
	bool *accepts;      /* [server * ndomains + domain] */
	bucket **rate;      /* [server][holder], for servers with a rate limit */
	int *rated, nrated; /* the servers with a rate limit */
};

static double sec(sim_time t)
{
	return (double)t / SIM_SEC;
}

servers *srv_new(const mdl_config *c, int nholders, mdl_result *r)
{
	servers *v = xcalloc(1, sizeof *v);
	size_t n = (size_t)c->nservers * (size_t)c->ndomains;
	v->c = c;
	v->r = r;
	v->st = xcalloc((size_t)c->nservers, sizeof *v->st);
	v->accepts = xcalloc(n, sizeof *v->accepts);
	memcpy(v->accepts, c->accepts, n * sizeof *v->accepts);
	v->rate = xcalloc((size_t)c->nservers, sizeof *v->rate);
	v->rated = xcalloc((size_t)c->nservers, sizeof *v->rated);
	for (int i = 0; i < c->nservers; i++) {
		if (c->servers[i].rate > 0) {
			v->rate[i] = xcalloc((size_t)nholders, sizeof **v->rate);
			v->rated[v->nrated++] = i;
		}
		v->st[i].down_at = v->st[i].up_at = -1;
		st_tw_init(&v->st[i].sessions, 0, 0);
		st_tw_init(&v->st[i].bucket_sessions, 0, 0);
	}
	return v;
}

void srv_free(servers *v)
{
	if (!v)
		return;
	for (int i = 0; i < v->c->nservers; i++)
		free(v->rate[i]);
	free(v->rate);
	free(v->rated);
	free(v->accepts);
	free(v->st);
	free(v);
}

/* The sender's token bucket, refilled to now; false if it is empty. */
static bool rate_ok(servers *v, int sv, int holder, sim_time now)
{
	const mdl_server *cs = &v->c->servers[sv];
	bucket *b = &v->rate[sv][holder];
	if (!b->t) {
		b->tokens = cs->burst;
		b->t = now + 1;
	}
	b->tokens += sec(now + 1 - b->t) * cs->rate;
	if (b->tokens > cs->burst)
		b->tokens = cs->burst;
	b->t = now + 1;
	if (b->tokens < 1)
		return false;
	b->tokens -= 1;
	return true;
}

/* Room in a backup's queue for one more message of size bytes: taken. */
static bool store(state *st, const mdl_server *cs, mdl_server_result *r, uint32_t size)
{
	if ((cs->queue_limit && st->stored + 1 > cs->queue_limit) ||
	    (cs->queue_bytes_limit > 0 && st->stored_bytes + size > cs->queue_bytes_limit)) {
		r->storage_full++;
		return false;
	}
	st->stored++;
	st->stored_bytes += size;
	if (st->stored > r->peak_queue)
		r->peak_queue = st->stored;
	if (st->stored_bytes > r->peak_queue_bytes)
		r->peak_queue_bytes = st->stored_bytes;
	return true;
}

/* The transaction's replies (the hot path: inlined into srv_connect). */
static inline srv_reply transaction(servers *v, int sv, int holder, bool trusted, int domain,
				    uint32_t size, srv_grey *grey, sim_time now)
{
	const mdl_server *cs = &v->c->servers[sv];
	/* a provider's own hosts are exempt, as with Postfix's mynetworks */
	if (cs->rate > 0 && !trusted && !rate_ok(v, sv, holder, now))
		return SRV_RATE;
	if (!v->accepts[(size_t)sv * (size_t)v->c->ndomains + (size_t)domain])
		return SRV_RELAY_DENIED;
	if (cs->size_limit > 0 && size > cs->size_limit)
		return SRV_TOO_LARGE;
	if (cs->greylist > 0) {
		if (grey->server != sv + 1) {
			grey->server = sv + 1;
			grey->seen = now;
		}
		if (now - grey->seen < cs->greylist)
			return SRV_GREYLISTED;
	}
	if (cs->backup && !store(&v->st[sv], cs, &v->r->server[sv], size))
		return SRV_STORAGE;
	return SRV_ACCEPT;
}

srv_reply srv_transaction(servers *v, int sv, int holder, bool trusted, int domain, uint32_t size,
			  srv_grey *grey, sim_time now)
{
	return transaction(v, sv, holder, trusted, domain, size, grey, now);
}

srv_reply srv_connect(servers *v, int sv, int holder, bool trusted, int domain, uint32_t size,
		      srv_grey *grey, bool first, sim_time now)
{
	const mdl_server *cs = &v->c->servers[sv];
	state *st = &v->st[sv];
	mdl_server_result *r = &v->r->server[sv];
	if (st->down)
		return cs->down_refuses ? SRV_REFUSED : SRV_TIMEOUT;
	r->offered++;
	r->first_offered += first;
	if (st->busy >= cs->sessions) {
		r->busy++;
		r->first_busy += first;
		return SRV_BUSY;
	}
	srv_reply rep = transaction(v, sv, holder, trusted, domain, size, grey, now);
	if (rep != SRV_ACCEPT)
		return rep;
	st->busy++;
	st_tw_set(&st->sessions, sec(now), st->busy);
	st_tw_set(&st->bucket_sessions, sec(now), st->busy);
	if (st->busy > r->peak_sessions)
		r->peak_sessions = st->busy;
	if (st->busy > st->bucket_peak)
		st->bucket_peak = st->busy;
	return SRV_ACCEPT;
}

sim_time srv_session_time(const servers *v, int sv, uint32_t size, gsl_rng *r)
{
	const mdl_server *cs = &v->c->servers[sv];
	double t = dist_draw(&cs->session_time, r);
	if (cs->bandwidth > 0)
		t += size / cs->bandwidth;
	return sim_from_sec(t) + 1;
}

void srv_close(servers *v, int sv, sim_time now)
{
	state *st = &v->st[sv];
	st->busy--;
	st_tw_set(&st->sessions, sec(now), st->busy);
	st_tw_set(&st->bucket_sessions, sec(now), st->busy);
}

void srv_delivered(servers *v, int sv)
{
	v->st[sv].bucket_delivered++;
}

void srv_unstore(servers *v, int sv, uint32_t size)
{
	v->st[sv].stored--;
	v->st[sv].stored_bytes -= size;
}

void srv_set_down(servers *v, int sv, bool down, sim_time now)
{
	if (down && !v->st[sv].down)
		v->st[sv].down_at = now;
	if (!down && v->st[sv].down)
		v->st[sv].up_at = now;
	v->st[sv].down = down;
}

sim_time srv_down_at(const servers *v, int sv)
{
	return v->st[sv].down_at;
}

sim_time srv_up_at(const servers *v, int sv)
{
	return v->st[sv].up_at;
}

bool srv_is_down(const servers *v, int sv)
{
	return v->st[sv].down;
}

void srv_set_accept(servers *v, int sv, int domain, bool yes)
{
	v->accepts[(size_t)sv * (size_t)v->c->ndomains + (size_t)domain] = yes;
}

void srv_prefetch(const servers *v, int holder)
{
	for (int i = 0; i < v->nrated; i++)
		__builtin_prefetch(&v->rate[v->rated[i]][holder]);
}

void srv_sample(servers *v, int sv, sim_time now, double col[MDL_TS_PER_SERVER])
{
	state *st = &v->st[sv];
	col[0] = (double)st->bucket_delivered;
	col[1] = st_tw_mean(&st->bucket_sessions, sec(now));
	col[2] = st->bucket_peak;
	col[3] = (double)st->stored;
	col[4] = st->stored_bytes;
	st->bucket_delivered = 0;
	st->bucket_peak = st->busy;
	st_tw_init(&st->bucket_sessions, sec(now), st->busy);
}

double srv_mean_sessions(const servers *v, int sv, sim_time end)
{
	return st_tw_mean(&v->st[sv].sessions, sec(end));
}
