/*
 * fuzz_maillog.c - a mail log line (models/maillog.h): time stamps of
 * both forms, the program and queue id, the fields mxsim reads.
 */
#include "../../models/maillog.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	ml_line l;
	(void)ml_parse(line, strlen(line), 2026, &l);
	free(line);
	return 0;
}
