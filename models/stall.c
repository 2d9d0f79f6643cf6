/*
 * stall.c - a session whose server starts dropping packets (mail.c makes
 * the transitions): it hangs, the rest of it to go, until a TCP
 * retransmission reaches the server back (mta_retransmit_at: Linux's RTO
 * from 200 ms, doubling) and the rest follows (mail_session_end), or the
 * MTA's session_timeout passes (mail_session_timeout). A server that
 * refuses when down ends its sessions normally (a simplification).
 *
 * Invariant: a hung session (SESSION) has exactly one event pending:
 * stall_check, mail_session_end or mail_session_timeout; m->stall_from is
 * when it hung, m->stall_left what was left of it then.
 */
#include "mail_impl.h"

static void stall_check(sim *s, void *subject, void *object);

void stall_wait(world *w, msg *m)
{
	sim_time now = sim_now(w->s);
	sim_time give_up = m->stall_from + profile_of(w, m->holder)->session_timeout;
	sim_time next = mta_retransmit_at(m->stall_from, now + 1);
	if (give_up < now) /* the session outlasted the timeout: it gives up now */
		give_up = now;
	sim_at(w->s, next < give_up ? next : give_up,
	       next < give_up ? stall_check : mail_session_timeout, w, m);
}

/* A retransmission in the hung session: through if the server is back,
 * and the session's rest follows. */
static void stall_check(sim *s, void *subject, void *object)
{
	world *w = subject;
	msg *m = object;
	if (srv_is_down(w->srv, m->server))
		stall_wait(w, m);
	else
		sim_after(s, m->stall_left, mail_session_end, w, m);
}

bool stall_hung(world *w, msg *m)
{
	int sv = m->server;
	sim_time now = sim_now(w->s), down = srv_down_at(w->srv, sv);
	if (w->c->servers[sv].down_refuses || down <= m->stall_from)
		return false;
	m->stall_left = now - down;
	m->stall_from = down;
	if (srv_is_down(w->srv, sv)) {
		stall_wait(w, m);
		return true;
	}
	/* back already: through at the first retransmission after it came back */
	sim_time r = mta_retransmit_at(down, srv_up_at(w->srv, sv));
	bool late = r >= down + profile_of(w, m->holder)->session_timeout;
	sim_at(w->s, late ? now : r + m->stall_left, late ? mail_session_timeout : mail_session_end,
	       w, m);
	return true;
}
