/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_PRIVS_H
#define LNW_WATCH_PRIVS_H

#include <stddef.h>

/* The watch's capabilities: what it needs, checked before anything is
 * loaded, and once everything is attached, only what the rest of the run
 * uses (README: Running in production, the table). */

struct lnw_options;
struct lnw_app;

/* Every capability opts need in the effective set, or -EPERM with err
 * naming each one missing and what it is for. */
int lnw_privs_check(const struct lnw_options *opts, char *err, size_t len);
/* After attaching: permitted, effective, inheritable, ambient and bounding
 * sets cut down to what the run still uses; 0 or -errno with err set. */
int lnw_privs_drop(const struct lnw_app *app, char *err, size_t len);

#endif
