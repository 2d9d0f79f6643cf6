/*
 * names.h - names that become file, folder, column or section names in
 * results (scenarios, servers, providers): letters, digits, '-', '_' and
 * '.', not starting with '.', at most NAME_MAX_LEN bytes. Checked where a
 * name is defined and again where results are read back, so no name can
 * carry quotes, spaces, path separators or shell and gnuplot syntax.
 */
#ifndef MX_NAMES_H
#define MX_NAMES_H

#include <stdbool.h>

enum { NAME_MAX_LEN = 63 };

bool name_ok(const char *s);

/* What a name must look like, for error messages. */
#define NAME_RULE "letters, digits, '-', '_' and '.' (not first), at most 63 characters"

#endif
