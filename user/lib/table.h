/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_TABLE_H
#define LNW_LIB_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define LNW_TBL_COLS 8
#define LNW_TBL_NOTES 3

struct lnw_tbl_row {
	char *cell[LNW_TBL_COLS];
	char *note[LNW_TBL_NOTES]; /* lines under the row: the rule, the fix */
	int n_notes;
};

/* Set hdr and ncols; rows grow as they are added. */
struct lnw_tbl {
	const char *hdr[LNW_TBL_COLS];
	int ncols;
	struct lnw_tbl_row *rows;
	int n;
	size_t cap;
};

/* A row of ncols strings (NULL prints "-"), copied; NULL when out of memory
 * (the other calls take a NULL row and do nothing). */
struct lnw_tbl_row *lnw_tbl_add(struct lnw_tbl *t, ...);
/* A line under the row, indented. At most LNW_TBL_NOTES. */
void lnw_tbl_note(struct lnw_tbl_row *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Columns as wide as their widest cell, two spaces apart. */
void lnw_tbl_print(FILE *f, struct lnw_tbl *t);
void lnw_tbl_free(struct lnw_tbl *t);

#endif
