/*
 * term.h - standard streams that carry no terminal control: text from
 * scenarios, logs and results folders (echoed in messages) could hold
 * escape sequences that retitle, recolour or rewrite a terminal.
 *
 * Invariant: after term_guard, no byte 0x00-0x1f but TAB, LF and CR, and
 * no DEL, reaches standard error, or standard output when it is a
 * terminal; each goes out as the four characters \xNN.
 */
#ifndef MX_TERM_H
#define MX_TERM_H

/* Replaces stderr (and stdout, on a terminal) with a guarded stream. */
void term_guard(void);

#endif
