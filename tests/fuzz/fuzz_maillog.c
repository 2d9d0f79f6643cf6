/*
 * fuzz_maillog.c - a mail log line (models/maillog.h): time stamps of
 * every form, the program and queue id, the fields mxsim reads
 * (Postfix's and Exim's).
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
	(void)ml_parse(line, strlen(line), 2026, ML_ANY, &l);
	free(line);
	return 0;
}
