/*
 * fit.h - `mxsim fit`: a scenario of the traffic in a receiving server's
 * mail log (fit.c).
 */
#ifndef MX_FIT_H
#define MX_FIT_H

/* argv[0] is "fit"; returns the exit status (0, or 2: bad usage, a log
 * unreadable or with nothing usable). */
int fit_main(int argc, char **argv);

#endif
