/*
 * fuzz.h - what the libFuzzer harnesses share. Each harness defines
 * LLVMFuzzerTestOneInput; built with clang -fsanitize=fuzzer by `make fuzz`,
 * or linked with replay.c by `make test` to replay the corpus in a plain
 * build.
 */
#ifndef MX_FUZZ_H
#define MX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private temporary folder for the process (made once, removed at
 * exit); returns its path. */
const char *fuzz_tmpdir(void);
/* Writes data to dir/name; returns 0 or -1. */
int fuzz_write(const char *dir, const char *name, const uint8_t *data, size_t size);
/* Removes dir/name if it is there. */
void fuzz_remove(const char *dir, const char *name);

#endif
