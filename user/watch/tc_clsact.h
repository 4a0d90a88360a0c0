/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_TC_CLSACT_H
#define LNW_TC_CLSACT_H

#include <stddef.h>

#include "attach.h"

/* lnwatch's cls_bpf filter at clsact ingress of att (ifindex, ifname set),
 * ahead of others' filters; the qdisc made if none is there. 0 or -errno
 * with a message in err. */
int lnw_clsact_attach(int prog_fd, struct lnw_tc_att *att, char *err, size_t errlen);
/* Our filter goes; the qdisc too if we made it and nothing else is in it. */
void lnw_clsact_detach(struct lnw_tc_att *att);

/* The same for atts[0..n) (prog_fds[i] for atts[i]), in netlink batches:
 * rets[i] 0 or -errno with errs[i] said. -ENOMEM if nothing was tried. */
int lnw_clsact_attach_many(struct lnw_tc_att *atts, const int *prog_fds, int n,
			   int *rets, char (*errs)[LNW_ATT_ERR_LEN]);
void lnw_clsact_detach_many(struct lnw_tc_att *atts, int n);

#endif
