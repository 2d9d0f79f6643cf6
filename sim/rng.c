/*
 * rng.c - seed derivation and GSL stream creation (see rng.h).
 */
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>

uint64_t rng_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint64_t rng_replication_seed(uint64_t seed, unsigned r)
{
	return rng_mix(seed ^ rng_mix(0x5eedull + r));
}

gsl_rng *rng_stream(uint64_t seed, uint64_t k)
{
	/* never NULL: GSL's default error handler aborts on failure (GSL
	 * manual, "Error Handlers"), and mxsim never turns it off */
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	uint64_t s = rng_mix(seed ^ rng_mix(k + 1));
	/* taus2 takes a 32-bit seed; 0 selects GSL's default, so avoid it */
	unsigned long s32 = (unsigned long)((s ^ (s >> 32)) & 0xffffffffu);
	gsl_rng_set(g, s32 ? s32 : 4357);
	return g;
}

double rng_hash_unit(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t x = rng_mix(seed ^ rng_mix(a ^ rng_mix(b + 0x51ed)));
	return (double)(x >> 11) * 0x1.0p-53;
}
