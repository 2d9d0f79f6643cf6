/*
 * engine.h - the discrete-event engine. It knows nothing of mail.
 *
 * Time is exact: int64_t microseconds (sim_time, simtime.h). An event is an action
 * called with a subject and an object; events run in order of time, then of
 * scheduling (equal times run first-in first-out), so a run is a pure
 * function of what is scheduled. The end of a run is itself an event.
 * Event records come from a pool with a free list: no allocation per event
 * once the pool has grown to the largest number pending.
 *
 * Errors: scheduling in the past or running out of memory is a programming
 * or resource failure; the engine prints a message and aborts.
 */
#ifndef MX_ENGINE_H
#define MX_ENGINE_H

#include "simtime.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct sim sim;
typedef void (*sim_action)(sim *s, void *subject, void *object);
typedef uint64_t sim_handle; /* 0 is never a valid handle */

/* Returns a new engine at time 0 (free with sim_free). */
sim *sim_new(void);
void sim_free(sim *s);

sim_time sim_now(const sim *s);

/* Schedules action(s, subject, object) at time at (>= sim_now). The engine
 * does not own subject or object. */
sim_handle sim_at(sim *s, sim_time at, sim_action action, void *subject, void *object);
sim_handle sim_after(sim *s, sim_time delay, sim_action action, void *subject, void *object);

/* Schedules an event in the engine's one lane, which holds at most one
 * and keeps it out of the pending-event set: for a stream whose every
 * event schedules the next (arrivals), a push and a pop fewer each. It
 * runs in the same order as with sim_at (plain build: it is sim_at); it
 * cannot be cancelled.
 * Scheduling while the lane is full is a programming error. */
void sim_lane(sim *s, sim_time at, sim_action action, void *subject, void *object);

/* Cancels a pending event; returns false if it already ran or was
 * cancelled. */
bool sim_cancel(sim *s, sim_handle h);

/* Calls action every period from the next multiple of period on, until the
 * run ends (the sampling hook for time series). */
void sim_every(sim *s, sim_time period, sim_action action, void *subject, void *object);

/* Runs events until the end-of-run event at time end (scheduled now) has
 * run, sim_stop is called, or the work limit is reached. Returns the
 * number of events executed. */
uint64_t sim_run(sim *s, sim_time end);
void sim_stop(sim *s);
/* Calls fn(ctx, now, events so far) every `every` events in sim_run (a
 * progress hook; it must not schedule or cancel events). */
void sim_watch(sim *s, uint64_t every, void (*fn)(void *ctx, sim_time now, uint64_t events),
	       void *ctx);
/* A work limit: sim_run stops once this many events have run in all
 * (0: none); sim_limit_hit says whether it did. */
void sim_limit(sim *s, uint64_t max_events);
bool sim_limit_hit(const sim *s);

uint64_t sim_events(const sim *s); /* events executed so far */
/* A hash over (time, sequence, action) of every event run so far, in
 * order (as OMNeT++'s fingerprints): two runs that give the same have run
 * the same events at the same times, so a change of the model's
 * behaviour shows as a changed fingerprint. Actions are known by their
 * order of first appearance, so it is the same in every build. */
uint64_t sim_fingerprint(const sim *s);
/* h with a run's fingerprint added: a set of runs' fingerprint, taken in
 * a fixed order of runs (from 0). */
uint64_t sim_fingerprint_join(uint64_t h, uint64_t run);
uint64_t sim_pending(const sim *s);

#endif
