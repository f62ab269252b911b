/*
 * libFuzzer target: rv-serve's path matcher.  Whatever the path, a match
 * must name a channel from 1 and a segment of digits and ".ts" only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rv_route r;
	char *path = malloc(size + 1);
	size_t i, n;

	if (path == NULL)
		abort();
	memcpy(path, data, size);
	path[size] = '\0';
	switch (rv_route_parse(path, &r)) {
	case RV_ROUTE_SEGMENT:
		n = strlen(r.segment);
		if (n < 11 || strcmp(r.segment + n - 3, ".ts") != 0)
			abort();
		for (i = 0; i + 3 < n; i++)
			if (r.segment[i] < '0' || r.segment[i] > '9')
				abort();
		/* FALLTHROUGH */
	case RV_ROUTE_PLAYLIST:
	case RV_ROUTE_STREAM:
		if (r.channel < 1 || r.channel > 99999999 ||
		    strstr(path, "..") != NULL)
			abort();
		break;
	default:
		break;
	}
	free(path);
	return 0;
}
