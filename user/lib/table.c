// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* An aligned table with notes under its rows, for reports in a terminal. */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "util.h"

struct lnw_tbl_row *lnw_tbl_add(struct lnw_tbl *t, ...)
{
	struct lnw_tbl_row *r;
	va_list ap;
	int i;

	if (lnw_grow(&t->rows, &t->cap, t->n + 1, sizeof(*t->rows)))
		return NULL;
	r = &t->rows[t->n++];
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);

		r->cell[i] = strdup(s ? s : "-");
	}
	va_end(ap);
	return r;
}

void lnw_tbl_note(struct lnw_tbl_row *r, const char *fmt, ...)
{
	va_list ap;

	if (!r || r->n_notes == LNW_TBL_NOTES)
		return;
	va_start(ap, fmt);
	if (vasprintf(&r->note[r->n_notes], fmt, ap) >= 0)
		r->n_notes++;
	va_end(ap);
}

#define CELL(s) ((s) ? (s) : "") /* NULL: out of memory in lnw_tbl_add */

static void tbl_line(FILE *f, const char *const *cell, const size_t *w, int ncols)
{
	int c, last = ncols - 1;

	while (last > 0 && !CELL(cell[last])[0])
		last--; /* no trailing blanks */
	for (c = 0; c < last; c++)
		fprintf(f, "%-*s  ", (int)w[c], CELL(cell[c]));
	fprintf(f, "%s\n", CELL(cell[last]));
}

void lnw_tbl_print(FILE *f, struct lnw_tbl *t)
{
	size_t w[LNW_TBL_COLS] = { 0 };
	int i, c, k;

	for (c = 0; c < t->ncols; c++)
		w[c] = strlen(t->hdr[c]);
	for (i = 0; i < t->n; i++)
		for (c = 0; c < t->ncols; c++)
			if (t->rows[i].cell[c] && strlen(t->rows[i].cell[c]) > w[c])
				w[c] = strlen(t->rows[i].cell[c]);
	tbl_line(f, t->hdr, w, t->ncols);
	for (i = 0; i < t->n; i++) {
		tbl_line(f, (const char *const *)t->rows[i].cell, w, t->ncols);
		for (k = 0; k < t->rows[i].n_notes; k++)
			fprintf(f, "    %s\n", t->rows[i].note[k]);
	}
}

void lnw_tbl_free(struct lnw_tbl *t)
{
	int i, c;

	for (i = 0; i < t->n; i++) {
		for (c = 0; c < LNW_TBL_COLS; c++)
			free(t->rows[i].cell[c]);
		for (c = 0; c < t->rows[i].n_notes; c++)
			free(t->rows[i].note[c]);
	}
	free(t->rows);
}

