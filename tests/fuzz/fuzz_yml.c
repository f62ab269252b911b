/*
 * libFuzzer target: the YAML front end (lib/yml) and the configuration
 * reader built on it.  Hostile YAML must give an error, never a crash, a
 * hang or unbounded memory.
 */
#include <stdint.h>
#include <stdlib.h>

#include "config.h"
#include "yml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rv_config cfg;
	struct rv_err err;
	struct yml_doc *doc;

	doc = yml_load_buffer("fuzz.yaml", (const char *)data, size, &err);
	yml_free(doc);
	rv_config_defaults(&cfg);
	rv_config_load_buffer("fuzz.yaml", (const char *)data, size, &cfg,
	    &err);
	return 0;
}
