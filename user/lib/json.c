// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* JSON helpers both commands use (json-c). */
#include <stdarg.h>
#include <string.h>

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
