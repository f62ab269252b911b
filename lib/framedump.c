#include "framedump.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"

static char *
hex_encode(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s;
	size_t i;

	s = malloc(2 * n + 1);
	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = 0;
	return s;
}

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
hex_decode(const char *s, uint8_t **out, size_t *len, struct rv_err *err)
{
	size_t n = strlen(s), i;
	uint8_t *p;
	int hi, lo;

	if (n % 2 != 0)
		return rv_errf(err, "\"hex\" has an odd number of digits (%zu)",
		    n);
	if (n / 2 > RV_FRAME_PAYLOAD_MAX)
		return rv_errf(err, "\"hex\" payload of %zu bytes exceeds %u",
		    n / 2, RV_FRAME_PAYLOAD_MAX);
	p = malloc(n / 2 + 1);
	if (p == NULL)
		return rv_errf(err, "out of memory");
	for (i = 0; i < n / 2; i++) {
		hi = hex_digit((unsigned char)s[2 * i]);
		lo = hex_digit((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(p);
			return rv_errf(err, "\"hex\" has a non-hex character at "
			    "position %zu", hi < 0 ? 2 * i : 2 * i + 1);
		}
		p[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = p;
	*len = n / 2;
	return 0;
}

static int
describe_binary(const struct rv_frame *f, int full, json_t *line)
{
	size_t shown = full || f->len < RV_DUMP_HEAD ? f->len : RV_DUMP_HEAD;
	char *hex;

	json_object_set_new(line, "len", json_integer((json_int_t)f->len));
	if (f->type == 'T')
		json_object_set_new(line, "packets",
		    json_integer((json_int_t)(f->len / RV_TS_PACKET)));
	hex = hex_encode(f->payload, shown);
	if (hex == NULL)
		return -1;
	json_object_set_new(line, full ? "hex" : "head", json_string(hex));
	free(hex);
	return 0;
}

int
rv_frame_describe(const struct rv_frame *f, int full, json_t **out,
    struct rv_err *err)
{
	char type[2] = { (char)f->type, 0 };
	json_t *line, *payload;
	int rc = 0;

	*out = NULL;
	line = json_object();
	if (line == NULL)
		return rv_errf(err, "out of memory");
	json_object_set_new(line, "type", json_string(type));
	if (rv_frame_type_is_json(f->type)) {
		payload = rv_frame_json(f, err);
		if (payload != NULL) {
			json_object_set_new(line, "json", payload);
			*out = line;
			return 0;
		}
		json_object_set_new(line, "error", json_string(err->msg));
		rc = -1;
	} else if (f->type == 'T' && f->len % RV_TS_PACKET != 0) {
		rv_errf(err, "'T' payload of %zu bytes is not a whole number "
		    "of %d-byte packets", f->len, RV_TS_PACKET);
		json_object_set_new(line, "error", json_string(err->msg));
		rc = -1;
	}
	if (describe_binary(f, full || rc < 0, line) < 0) {
		json_decref(line);
		return rv_errf(err, "out of memory");
	}
	*out = line;
	return rc;
}

static int
known_key(const char *key)
{
	static const char *const keys[] = {
		"type", "json", "hex", "len", "packets", "head", "error", NULL
	};
	int i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

int
rv_frame_from_line(const json_t *line, struct rv_frame *f,
    struct rv_err *err)
{
	const char *type = NULL, *hex = NULL, *key;
	const json_t *payload, *value;
	int64_t len = -1;
	char *text;

	if (!json_is_object(line))
		return rv_errf(err, "line is not a JSON object");
	json_object_foreach((json_t *)line, key, value)
		if (!known_key(key))
			return rv_errf(err, "unknown key '%s'", key);
	if (rv_json_str(line, "type", &type, err) < 0)
		return -1;
	if (strlen(type) != 1 || !rv_frame_type_valid((unsigned char)type[0]))
		return rv_errf(err, "\"type\" must be one ASCII letter (%s)",
		    type);
	if (rv_json_opt_str(line, "hex", &hex, err) < 0 ||
	    rv_json_opt_int(line, "len", &len, err) < 0)
		return -1;
	payload = json_object_get(line, "json");
	if (payload != NULL && hex != NULL)
		return rv_errf(err, "give \"json\" or \"hex\", not both");
	f->type = (unsigned char)type[0];
	if (payload != NULL && !rv_frame_type_is_json(f->type))
		return rv_errf(err, "'%c' frames carry bytes: give \"hex\", "
		    "not \"json\"", f->type);
	if (payload != NULL && !json_is_object(payload))
		return rv_errf(err, "\"json\" must be an object");
	if (payload != NULL) {
		text = rv_json_canonical(payload);
		if (text == NULL)
			return rv_errf(err, "cannot encode \"json\"");
		f->payload = (uint8_t *)text;
		f->len = strlen(text);
		f->cap = f->len + 1;
		if (f->len > RV_FRAME_PAYLOAD_MAX) {
			rv_frame_free(f);
			return rv_errf(err, "\"json\" payload exceeds %u bytes",
			    RV_FRAME_PAYLOAD_MAX);
		}
		return 0;
	}
	if (hex == NULL)
		return rv_errf(err, "'%c' frame has no payload to pack: a "
		    "summary (\"head\") cannot be packed; dump with --hex",
		    f->type);
	if (hex_decode(hex, &f->payload, &f->len, err) < 0)
		return -1;
	f->cap = f->len + 1;
	if (len >= 0 && (size_t)len != f->len) {
		rv_errf(err, "\"len\" is %lld but \"hex\" holds %zu bytes",
		    (long long)len, f->len);
		rv_frame_free(f);
		return -1;
	}
	return 0;
}
