/*
 * zone.h - `mxsim zone`: zone files in, scenario sections out, their MX
 * records checked (zone.c).
 */
#ifndef MX_ZONE_H
#define MX_ZONE_H

/* argv[0] is "zone"; returns the exit status (0 clean, 1 findings, 2
 * unreadable or bad usage). */
int zone_main(int argc, char **argv);

#endif
