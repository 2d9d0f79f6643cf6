/*
 * fuzz_zone.c - zone files (models/zonefile.h): ldns's reader as mxsim
 * drives it, the records kept, the MX checks and a change's comparison.
 */
#include "../../models/zonefile.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zf_zone z, y;
	char err[ZF_ERR];
	if (zf_read("fuzz.zone", (const char *)data, size, &z, err) == 0) {
		zf_check(&z);
		if (zf_read("fuzz.zone", (const char *)data, size, &y, err) == 0)
			zf_compare(&z, &y);
		zf_free(&y);
	}
	zf_free(&z);
	return 0;
}
