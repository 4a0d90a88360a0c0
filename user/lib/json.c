// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* JSON helpers both commands use (json-c). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/printbuf.h>

#include "json.h"
#include "text.h"

void lnw_json_emit(FILE *f, json_object *obj)
{
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	putc('\n', f);
	json_object_put(obj);
}

void lnw_error(bool json, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "error", json_object_new_string(msg));
		lnw_json_emit(stdout, o);
		fflush(stdout);
	} else {
		fprintf(stderr, "lnwatch: %s\n", msg);
	}
}

json_object *lnw_json_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *lnw_json_name(const char *raw)
{
	char name[LNW_PRINTABLE_LEN(256)];

	lnw_name_utf8(raw, name, sizeof(name));
	return json_object_new_string(name);
}

json_object *lnw_json_addr(__u32 be_addr)
{
	char buf[16];

	lnw_format_addr(buf, sizeof(buf), be_addr, 0, 0);
	return json_object_new_string(buf);
}

/* "\u00XX" of c at p; returns the end. */
static char *put_u00(char *p, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	memcpy(p, "\\u00", 4);
	p[4] = hex[c >> 4];
	p[5] = hex[c & 15];
	return p + 6;
}

char *lnw_json_put_str(char *p, const char *str, size_t max_raw)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *end = s + strnlen(str, max_raw);
	size_t n;

	*p++ = '"';
	while (s < end) {
		unsigned char c = *s;

		if (c >= 0x20 && c < 0x7f) {
			if (c == '"' || c == '\\')
				*p++ = '\\';
			*p++ = (char)c;
			s++;
		} else if (c < 0x80) { /* C0 and DEL */
			p = put_u00(p, c);
			s++;
		} else if (!(n = lnw_utf8_seq_len(s)) || n > (size_t)(end - s)) {
			memcpy(p, "\xef\xbf\xbd", 3); /* U+FFFD */
			p += 3;
			s++;
		} else if (c == 0xc2 && s[1] < 0xa0) { /* C1: U+0080..U+009F */
			p = put_u00(p, s[1]);
			s += 2;
		} else {
			memcpy(p, s, n);
			p += n;
			s += n;
		}
	}
	*p++ = '"';
	return p;
}

struct raw_text {
	size_t len;
	char text[];
};

static int raw_to_string(json_object *o, struct printbuf *pb, int level, int flags)
{
	const struct raw_text *r = json_object_get_userdata(o);

	(void)level;
	(void)flags;
	return printbuf_memappend(pb, r->text, (int)r->len) < 0 ? -1 : 0;
}

json_object *lnw_json_raw(const char *text, size_t len)
{
	struct raw_text *r = malloc(sizeof(*r) + len + 1);
	json_object *o;

	if (!r)
		return NULL;
	o = json_object_new_object();
	if (!o) {
		free(r);
		return NULL;
	}
	r->len = len;
	memcpy(r->text, text, len);
	r->text[len] = '\0';
	json_object_set_serializer(o, raw_to_string, r, json_object_free_userdata);
	return o;
}

json_object *lnw_json_double(double v, int decimals)
{
	char buf[64];
	size_t n;

	if (!isfinite(v))
		return NULL;
	n = (size_t)snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	if (n >= sizeof(buf))
		return json_object_new_double(v);
	if (strchr(buf, '.')) {
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
		if (buf[n - 1] == '.')
			buf[n + 1] = '\0', buf[n] = '0'; /* "4.0": still a fraction */
	}
	return json_object_new_double_s(v, buf);
}

bool lnw_wants_json(int argc, char **argv, const char *flags)
{
	const char *a;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		a = argv[i];
		if (!strcmp(a, "--json"))
			return true;
		if (a[0] == '-' && a[1] && a[1] != '-' && strchr(a + 1, 'j') &&
		    strspn(a + 1, flags) == strlen(a + 1))
			return true;
	}
	return false;
}

json_object *lnw_jget(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_is_type(o, json_type_object) &&
	       json_object_object_get_ex(o, key, &v) ? v : NULL;
}

const char *lnw_jstr(json_object *o, const char *key)
{
	json_object *v = lnw_jget(o, key);

	return v && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}
