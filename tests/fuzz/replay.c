/*
 * replay.c - runs a harness over corpus files without libFuzzer, so the
 * corpus is a regression test of the plain build (`make test`).
 * Usage: replay_TARGET FILE...   Last line: "N passed, 0 failed"; a
 * finding crashes, as it would under the fuzzer.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int n = 0;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0, k;
		uint8_t chunk[65536];
		while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
			if (len + k > cap) {
				cap = 2 * (len + k);
				buf = realloc(buf, cap);
				if (!buf)
					abort();
			}
			for (size_t j = 0; j < k; j++)
				buf[len + j] = chunk[j];
			len += k;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf ? buf : (uint8_t *)"", len);
		free(buf);
		n++;
	}
	printf("replay: %d passed, 0 failed\n", n);
	return 0;
}
