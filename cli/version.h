/* version.h - the one place the version of mxsim is written. */
#ifndef MX_VERSION_H
#define MX_VERSION_H

#define MXSIM_VERSION "0.2.0"

/* From the build (Makefile: buildinfo.h): the git commit and the inih
 * package's version, which its header does not carry. */
#include "buildinfo.h"

#endif
