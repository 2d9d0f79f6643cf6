/*
 * dangling.h - MX targets anyone could register: a target outside the
 * zone whose registrable domain (the public suffix list, libpsl) does not
 * exist in the DNS (NXDOMAIN to an NS query at a recursive resolver), as
 * named-checkzone's out-of-zone MX checks look targets up (dangling.c).
 */
#ifndef MX_DANGLING_H
#define MX_DANGLING_H

#include "../models/zonefile.h"

/* Looks up the registrable domain of each MX target of z that is outside
 * z's origin and has no finding yet, at resolver ("ADDR" or "ADDR@PORT";
 * NULL: /etc/resolv.conf's), adding a ZF_DANGLING finding for each that
 * does not exist. Returns the number of domains no answer came for, or -1
 * when resolver is no address (message printed). */
int dg_check(zf_zone *z, const char *resolver);

#endif
