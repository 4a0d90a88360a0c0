/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_WATCH_H
#define LNW_WATCH_WATCH_H

/* `lnwatch [OPTION...]`: load, attach, report until stopped. Returns the
 * process exit code. */
int lnw_watch_main(int argc, char **argv);

#endif
