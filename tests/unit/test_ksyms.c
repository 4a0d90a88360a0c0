// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of drop locations' names (user/watch/ksyms.h): the kallsyms
 * scan and the kernel's %pS tidied alike. No kernel, no BPF.
 */
#include "unit.h"
#include "watch/ksyms.h"

/* ---- kernel symbols for drop locations ---------------------------------- */

static const char kallsyms_text[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81001000 t ip_rcv_finish_core\n"
	"ffffffff81001000 T ip_rcv_finish_core_alias\n"
	"ffffffff81001400 D some_data\n"
	"ffffffff81002000 T tcp_v4_rcv\n"
	"garbage line\n"
	"ffffffffc0000000 t veth_xmit\t[veth]\n";

static int ksym(__u64 addr, char *out, size_t len)
{
	FILE *f = fmemopen((void *)kallsyms_text, sizeof(kallsyms_text) - 1, "r");
	int ret;

	if (!f)
		return -errno;
	ret = lnw_ksyms_scan(f, addr, out, len);
	fclose(f);
	return ret;
}

static void t_ksyms_scan(void)
{
	char out[64];

	CHECK(!ksym(0xffffffff81001234ULL, out, sizeof(out)) &&
	      !strcmp(out, "ip_rcv_finish_core_alias+0x234"), "in a function: '%s'", out);
	CHECK(!ksym(0xffffffff81001500ULL, out, sizeof(out)) &&
	      !strcmp(out, "ip_rcv_finish_core_alias+0x500"), "data symbols skipped: '%s'", out);
	CHECK(!ksym(0xffffffff81002000ULL, out, sizeof(out)) &&
	      !strcmp(out, "tcp_v4_rcv+0x0"), "at a symbol: '%s'", out);
	CHECK(!ksym(0xffffffffc0000010ULL, out, sizeof(out)) &&
	      !strcmp(out, "veth_xmit+0x10 [veth]"), "module symbol, as %%pS: '%s'", out);
	CHECK(ksym(0xffffffff80000000ULL, out, sizeof(out)) == -ENOENT, "below every symbol");
	CHECK(ksym(0xffffffff81002000ULL + (2 << 20), out, sizeof(out)) == -ENOENT,
	      "2 MiB past the last symbol is no function's");
	CHECK(!ksym(0xffffffff81002001ULL, out, 8) && !strcmp(out, "tcp_v4_"),
	      "cut to the buffer: '%s'", out);
}

/* What the kernel's %pS prints, made like the scan's answer. */
static void t_ksym_tidy(void)
{
	static const struct { const char *in, *want; bool ok; } cases[] = {
		{ "ip_rcv_finish_core+0x25b/0x3c0", "ip_rcv_finish_core+0x25b", true },
		{ "nft_do_chain+0x46f/0x5c0 [nf_tables]", "nft_do_chain+0x46f [nf_tables]", true },
		{ "tcp_v4_rcv+0x99", "tcp_v4_rcv+0x99", true },
		{ "0xffffffff81234567", NULL, false },
		{ "", NULL, false },
	};
	char buf[LNW_KSYM_LEN];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		bool ok;

		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		ok = lnw_ksym_tidy(buf);
		CHECK(ok == cases[i].ok, "'%s': %d", cases[i].in, ok);
		CHECK(!ok || !strcmp(buf, cases[i].want), "'%s' -> '%s'", cases[i].in, buf);
	}
}

/* kptr_restrict: every address reads 0; nothing is named. */
static void t_ksyms_hidden(void)
{
	static const char hidden[] = "0000000000000000 T _stext\n"
				     "0000000000000000 T tcp_v4_rcv\n";
	FILE *f = fmemopen((void *)hidden, sizeof(hidden) - 1, "r");
	char out[64];

	CHECK(f, "fmemopen");
	if (f) {
		CHECK(lnw_ksyms_scan(f, 0xffffffff81002000ULL, out, sizeof(out)) == -ENOENT,
		      "hidden addresses named '%s'", out);
		fclose(f);
	}
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "kallsyms scan: nearest text symbol", t_ksyms_scan },
		{ "kallsyms scan: hidden addresses", t_ksyms_hidden },
		{ "%pS names tidied like the scan's", t_ksym_tidy },
	};

	return run_all(tests, N(tests));
}
