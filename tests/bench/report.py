#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""report.py RECORDS.jsonl TC.json OUT.json: the table of tests/bench/bench.sh.

Every figure is computed per round from numbers taken side by side in that
round (a ratio with/without, lnwatch over the floor on the same packets, a
count against N), then shown as min and median over the rounds; targets
are judged on the median, counts that must be exact on every round.
Prints the table; writes OUT.json (every record, every row) and, beside
it, OUT.md (the same table in Markdown, for docs/performance.md).
"""
import json
import math
import statistics
import sys


def med(v):
    return statistics.median(v) if v else None


def mn(v):
    return min(v) if v else None


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class Table:
    def __init__(self):
        self.rows = []

    def add(self, sec, figure, vals=None, fmt="{:.2f}", target="", ok=None,
            detail="", text=None):
        """vals: the per-round values; text: instead of min/median."""
        vals = [v for v in (vals or []) if v is not None]
        row = {"section": sec, "figure": figure, "rounds": len(vals),
               "values": vals, "min": mn(vals), "median": med(vals),
               "target": target, "met": ok, "detail": detail}
        if text is not None:
            row["min_s"], row["median_s"] = text, ""
        elif vals:
            row["min_s"] = fmt.format(mn(vals))
            row["median_s"] = fmt.format(med(vals))
        else:
            row["min_s"] = row["median_s"] = "-"
        self.rows.append(row)

    def met_s(self, r):
        return {True: "yes", False: "NO", None: ""}[r["met"]]

    def text(self):
        w = [3, 52, 9, 9, 10, 4]
        out = ["{:<3} {:<52} {:>9} {:>9} {:<10} {:<4} {}".format(
            "#", "figure", "min", "median", "target", "met", "detail")]
        for r in self.rows:
            out.append("{:<3} {:<52} {:>9} {:>9} {:<10} {:<4} {}".format(
                r["section"], r["figure"][:w[1]], r["min_s"], r["median_s"],
                r["target"], self.met_s(r), r["detail"]))
        return "\n".join(out)

    def markdown(self):
        out = ["| # | figure | min | median | target | met | detail |",
               "|---|---|--:|--:|---|---|---|"]
        for r in self.rows:
            out.append("| {} | {} | {} | {} | {} | {} | {} |".format(
                r["section"], r["figure"], r["min_s"], r["median_s"],
                r["target"], self.met_s(r),
                r["detail"].replace("|", "/")))
        return "\n".join(out)


def fmt_target(op, v, unit="x"):
    if v is None:
        return ""
    return "%s %s%s" % (op, ("%.2f" % v).rstrip("0").rstrip("."), unit)


def by(recs, s, **kw):
    return [r for r in recs if r.get("s") == s and
            all(r.get(k) == v for k, v in kw.items())]


def rounds(recs):
    return sorted({r["r"] for r in recs if "r" in r})


def prog(progs, prefix):
    """[run_cnt, run_time_ns] of the program whose name starts so."""
    for name, v in progs.items():
        if name.startswith(prefix):
            return v
    return None


LNW = [("tc", "lnw_tc_ingress", "floor_tc"),
       ("kfree_skb", "lnw_kfree_skb", "floor_kfree"),
       ("fib_lookup", "lnw_fib_lookup", "floor_fib"),
       ("sk_data_ready", "lnw_sk_data_rea", "floor_sk"),
       # no empty netfilter program beside it (libbpf 1.1 attaches none):
       # its whole cost per run is shown, the stats' own ns included
       ("netfilter", "lnw_nf", None)]


def live_figures(rec):
    """Per hook: runs per packet, lnwatch and floor ns per run; ns per
    packet in lnwatch's programs and what it adds over the floor's."""
    pk = rec["packets"] or 1
    hooks, ns_pkt, add_pkt = {}, 0.0, 0.0
    for hook, lp, fp in LNW:
        lv, fv = prog(rec["progs"], lp), fp and prog(rec["progs"], fp)
        if not lv or not lv[0]:
            continue
        lns = lv[1] / lv[0]
        fns = fv[1] / fv[0] if fv and fv[0] else None
        hooks[hook] = {"runs_per_pkt": lv[0] / pk, "lnw_ns": lns, "floor_ns": fns,
                       "ratio": lns / fns if fns else None}
        ns_pkt += lv[1] / pk
        if fns:
            add_pkt += (lv[1] - lv[0] * fns) / pk
    return hooks, ns_pkt, add_pkt


def main():
    recs, out = load(sys.argv[1]), sys.argv[3]
    tc = json.load(open(sys.argv[2])) if sys.argv[2] != "-" else {"cases": []}
    info = by(recs, "info")[0]
    end = (by(recs, "info-end") or [{}])[0]
    t = Table()

    # 1 ------------------------------------------------------------ tc
    cases = {c["case"]: {p["program"]: p for p in c["programs"]} for c in tc["cases"]}

    def tc_row(case, label, target=None):
        p, e = cases[case]["lnw_tc_ingress"], cases[case]["empty"]
        ok = None if target is None else med(p["ratios"]) <= target
        t.add("1", label, p["ratios"], "{:.2f}x", fmt_target("<=", target), ok,
              "%.1f vs %.1f ns/run (test_run, wall clock)" % (p["median"], e["median"]))

    if cases:
        tc_row("non-matching", "tc non-matching / empty", 1.3)
        tc_row("matching", "tc matching, rate 1 / empty")
        tc_row("matching-vlan", "tc matching 802.1Q / empty")
        t.add("1", "tc matching, event emitted / empty",
              text="n/a", target="<= 3x",
              detail="the tc program never emits (it counts `seen`, fills the "
                     "slot); events come from lnw_kfree_skb/lnw_fib_lookup: row L")

    # L ---------------------------------------------------- live cost
    live = {}
    for kind in ("martian-r5", "martian-r0", "accept", "udp", "tcp"):
        live[kind] = [live_figures(r) + (r,) for r in by(recs, "live", k=kind)]
    has_live = any(live.values())
    so = tc.get("stats_overhead")
    if so and has_live:
        t.add("L", "BPF run-time stats: ns added per run", [so["ns_per_run"]], "{:.1f}",
              detail="empty tc under test_run %.1f -> %.1f ns: live ns/run below include "
                     "it, lnwatch's and the floor's alike" % (so["off_median"], so["on_median"]))

    def hook_vals(kind, hook, key):
        return [h[hook][key] for h, _, _, _ in live[kind]
                if hook in h and h[hook][key] is not None]


    def live_ratio(kind, hook, label, target=None):
        v = hook_vals(kind, hook, "ratio")
        ok = None if target is None or not v else med(v) <= target
        lns = med(hook_vals(kind, hook, "lnw_ns")) or 0
        fns = med(hook_vals(kind, hook, "floor_ns")) or 0
        t.add("L", label, v, "{:.2f}x", fmt_target("<=", target), ok,
              "%.0f vs %.0f ns/run (body %+.0f ns), %.2f runs/pkt" % (
                  lns, fns, lns - fns, med(hook_vals(kind, hook, "runs_per_pkt")) or 0))

    if has_live:
        live_ratio("udp", "tc", "live tc, UDP (non-matching) / empty tc")
        live_ratio("martian-r5", "tc", "live tc, martian / empty tc")
        live_ratio("martian-r5", "kfree_skb", "kfree_skb, martian rate-limited / empty")
        body = [h["kfree_skb"]["lnw_ns"] - h["kfree_skb"]["floor_ns"]
                for h, _, _, _ in live["martian-r5"]
                if "kfree_skb" in h and h["kfree_skb"]["floor_ns"] is not None]
        if body:
            t.add("L", "kfree_skb, martian rate-limited: body over the floor", body,
                  "{:+.0f}ns", "<= 40ns", med(body) <= 40,
                  "ns per run of lnw_kfree_skb minus the empty program's, same packets")
        live_ratio("martian-r0", "kfree_skb", "kfree_skb, martian event emitted / empty", 3)
        live_ratio("accept", "fib_lookup", "fib_lookup, accept (rate 5) / empty")
        live_ratio("accept", "kfree_skb", "kfree_skb, accepted then dropped / empty")
        for kind, label in (("udp", "UDP flood"), ("martian-r5", "martian flood")):
            v = hook_vals(kind, "netfilter", "lnw_ns")
            if v:
                t.add("L", "netfilter hooks, %s: ns/run (no floor)" % label, v, "{:.0f}",
                      detail="%.2f runs/pkt; PREROUTING on every packet, FORWARD/INPUT "
                             "after every rule" % (med(hook_vals(kind, "netfilter",
                                                                 "runs_per_pkt")) or 0))
    for kind, label in (("udp", "UDP flood"), ("tcp", "TCP stream")):
        if not live[kind]:
            continue
        rows = live[kind]
        per = {hook: med(hook_vals(kind, hook, "runs_per_pkt")) for hook, _, _ in LNW}
        costs = {hook: med([h[hook]["runs_per_pkt"] * (h[hook]["lnw_ns"] - (h[hook]["floor_ns"] or 0))
                            for h, _, _, _ in rows if hook in h]) for hook, _, _ in LNW}
        t.add("L", "%s: ns/packet in lnwatch's bodies" % label,
              [a for _, _, a, _ in rows], "{:.0f}",
              detail="over the floor; by hook: " +
                     ", ".join("%s %.2f runs %+.0f ns" % (h, per[h] or 0, costs[h] or 0)
                               for h, _, _ in LNW if per[h]))

    # 2 --------------------------------------------------- throughput
    thr = by(recs, "thr")
    keys = ("udp_rx_pps", "udp_tx_pps", "tcp_bps")
    modes = ("off", "on", "floor", "on-flag", "floor4")
    ratio = {(m, k): [] for m in modes[1:] for k in keys}
    abs_ = {(m, k): [] for m in modes for k in keys}
    for r in rounds(thr):
        got = {m: by(thr, "thr", r=r, mode=m) for m in modes}
        for m in got:
            for k in keys:
                if got[m]:
                    abs_[(m, k)].append(got[m][0][k])
        for m in modes[1:]:
            if got["off"] and got[m]:
                for k in keys:
                    if got["off"][0][k]:
                        ratio[(m, k)].append(got[m][0][k] / got["off"][0][k])
    # lnwatch's ns per packet: at least its bodies (over the floor), at most
    # everything its programs' runs took, dispatch and a clock read included
    bounds = {}
    for kind in ("udp", "tcp"):
        bounds[kind] = (med([a for _, _, a, _ in live[kind]]) or 0,
                        med([n for _, n, _, _ in live[kind]]) or 0)
    for k, label, unit, scale, kind in [] if not thr else (
            ("udp_rx_pps", "UDP flood, delivered pps", "kpps", 1e3, "udp"),
            ("udp_tx_pps", "UDP flood, sent pps", "kpps", 1e3, "udp"),
            ("tcp_bps", "TCP stream (iperf3)", "Gbit/s", 1e9, "tcp")):
        v = ratio[("on", k)]
        detail = "%.1f / %.1f / %.1f %s (nothing / empty tc+kfree_skb / lnwatch)" % (
            tuple((med(abs_[(m, k)]) or 0) / scale for m in ("off", "floor", "on")) + (unit,))
        if k == "udp_tx_pps" and med(abs_[("off", k)]):
            # one CPU sends and runs the receive softirq (veth): its time per
            # packet, and what lnwatch's programs add to it (rows L)
            budget = 1e9 / med(abs_[("off", k)])
            lo, hi = bounds[kind]
            detail += "; %.0f ns/pkt, lnwatch +%.0f..%.0f ns -> expect %.3f..%.3fx" % (
                budget, lo, hi, budget / (budget + hi), budget / (budget + lo))
        t.add("2", "%s, lnwatch (flag off) / nothing" % label, v, "{:.3f}x", ">= 0.98x",
              med(v) >= 0.98 if v else None, detail)
        t.add("2", "%s, empty tc+kfree_skb / nothing" % label, ratio[("floor", k)], "{:.3f}x",
              detail="lnwatch's hooks while route_localnet is off: its floor")
        t.add("2", "%s, lnwatch (flag on) / nothing" % label, ratio[("on-flag", k)], "{:.3f}x",
              detail="%.1f %s: all four hooks attached (route_localnet on for eth0)" % (
                  (med(abs_[("on-flag", k)]) or 0) / scale, unit))
        t.add("2", "%s, empty 4 hooks / nothing" % label, ratio[("floor4", k)], "{:.3f}x",
              detail="the floor of any design that keeps all four hooks attached")

    hk = by(recs, "hook")
    for mode, label in (("tc", "tc (tcx)"), ("fib_table_lookup", "fib_table_lookup"),
                        ("sk_data_ready", "sk_data_ready")):
        v = []
        for r in rounds(hk):
            off, on = by(hk, "hook", r=r, mode="off"), by(hk, "hook", r=r, mode=mode)
            if off and on and off[0]["udp_tx_pps"]:
                v.append(on[0]["udp_tx_pps"] / off[0]["udp_tx_pps"])
        if v:
            t.add("2", "UDP sent pps, empty %s only / nothing" % label, v, "{:.3f}x",
                  detail="which hook costs what")

    # 3 ------------------------------------------------------- flood
    for flag, verdict in ((0, "martian-dst/IP_LOCALNET"), (1, "accept")):
        fl = by(recs, "flood", flag=flag)
        if not fl:
            continue
        n = fl[0]["n"]
        name = "flag %s" % ("off" if flag == 0 else "on")
        seen = [r["counters"].get("seen", 0) for r in fl]
        t.add("3", "%s: `seen` counted (N = %d)" % (name, n), seen, "{:.0f}", "= N",
              all(s == n for s in seen), "every round exact" if all(s == n for s in seen) else "")
        ver = [r["counters"].get(verdict, 0) for r in fl]
        t.add("3", "%s: `%s` counted" % (name, verdict.split("/")[0]), ver, "{:.0f}", "= N",
              all(s == n for s in ver),
              "fate: %s" % ", ".join("%s %d" % (k, v) for k, v in sorted(fl[0]["counters"].items())
                                      if k not in ("seen", verdict)) if flag else "")
        kd = [r["kernel_martian_dst"] for r in fl]
        t.add("3", "%s: kernel in_martian_dst delta" % name, kd, "{:.0f}",
              ">= N" if flag == 0 else "~0", all(k >= n for k in kd) if flag == 0 else None,
              "host-wide counter (/proc/net/stat/rt_cache)")
        ev = [sum(r["events"].values()) for r in fl]
        flows = [max(1, len(r["events"])) for r in fl]
        allowed = [5 * f * (math.floor(r["elapsed_s"]) + 2) for f, r in zip(flows, fl)]
        held = [r["rate_limited"] for r in fl]
        exact = all(e + h == sum(v for k, v in r["counters"].items() if k != "seen")
                    for e, h, r in zip(ev, held, fl))
        t.add("3", "%s: events emitted (rate 5/s per flow)" % name, ev, "{:.0f}",
              "<= rate", all(e <= a for e, a in zip(ev, allowed)),
              "allowed <= %d; %s flow(s); events + held back = counted: %s" % (
                  max(allowed), max(flows), "yes" if exact else "NO"))
        lost = [r["lost"] for r in fl]
        t.add("3", "%s: events lost" % name, lost, "{:.0f}", "0", all(x == 0 for x in lost))
        cpu = [100.0 * r["cpu_ns"] / (r["window_us"] * 1e3) for r in fl]
        ticks = [100.0 * r["cpu_ticks"] / r["clk_tck"] / (r["window_us"] / 1e6) for r in fl]
        t.add("3", "%s: loader CPU, %% of one core" % name, cpu, "{:.2f}%", "< 5%",
              med(cpu) < 5, "over flood + 0.5 s drain; /proc/PID/stat ticks: %.1f%%" % med(ticks))
        hwm = [r["vmhwm_kib"] / 1024 for r in fl]
        t.add("3", "%s: loader max RSS (VmHWM)" % name, hwm, "{:.1f}MiB", "<= 16MiB",
              max(hwm) <= 16, "VmRSS at the end %.1f MiB" % med([r["vmrss_kib"] / 1024 for r in fl]))
        vs_bare = [r["pps"] / r["bare_pps"] for r in fl if r.get("bare_pps")]
        t.add("3", "%s: flood rate, lnwatch / nothing" % name, vs_bare, "{:.3f}x",
              ">= 0.85x", med(vs_bare) >= 0.85 if vs_bare else None,
              detail="%.2f -> %.2f Mpps (blast raw: sendmmsg, AF_PACKET; one CPU sends "
                     "and drops)" % (med([r.get("bare_pps", 0) for r in fl]) / 1e6,
                                     med([r["pps"] for r in fl]) / 1e6))
        bt = [r for r in fl if r.get("bpftrace_pps")]
        if bt:
            vs_bt = [r["pps"] / r["bpftrace_pps"] for r in bt]
            t.add("3", "%s: flood rate, lnwatch / bpftrace count()" % name, vs_bt,
                  "{:.3f}x", ">= 1x", med(vs_bt) >= 1,
                  "bpftrace %.2f Mpps, counted %s drops (N = %d; "
                  "tracepoint:skb:kfree_skb { @drops = count(); })" % (
                      med([r["bpftrace_pps"] for r in bt]) / 1e6,
                      med([r["bpftrace_count"] or 0 for r in bt]), n))
            t.add("3", "%s: flood rate, bpftrace count() / nothing" % name,
                  [r["bpftrace_pps"] / r["bare_pps"] for r in bt if r.get("bare_pps")],
                  "{:.3f}x", detail="the one-liner's cost on the same flood, same rounds")
        else:
            t.add("3", "%s: flood rate, lnwatch / bpftrace count()" % name, text="n/a",
                  target=">= 1x", detail="bpftrace unavailable: %s" % (
                      fl[0].get("bpftrace_unavailable") or "not run"))

    # 4 ------------------------------------------------------ events
    evs = by(recs, "events")
    for kib in sorted({r["kib"] for r in evs}):
        rs = by(evs, "events", kib=kib)
        rate = [r["drained"] / (r["drain_us"] / 1e6) for r in rs]
        per_cpu = [r["drained"] / (r["cpu_ns"] / 1e9) for r in rs if r["cpu_ns"]]
        # The wall-clock rate is the flood's when nothing is lost; what the
        # loader can drain is its events per CPU-second (it has a core).
        t.add("4", "-r 0, ring %d KiB: drain capacity" % kib, [x / 1e6 for x in per_cpu],
              "{:.3f}M", ">= 1M/s", med(per_cpu) >= 1e6,
              "events per loader CPU-second, text output to /dev/null")
        t.add("4", "-r 0, ring %d KiB: events/s drained (wall)" % kib, [x / 1e6 for x in rate],
              "{:.3f}M", detail="flood start -> drain end; flood %.2f Mpps" % (
                  med([r["pps"] for r in rs]) / 1e6))
        t.add("4", "-r 0, ring %d KiB: events lost of N" % kib, [r["lost"] for r in rs],
              "{:.0f}", "exact", all(r["counted"] == r["n"] for r in rs),
              "drained %d..%d; counters exact (N) every round: %s" % (
                  min(r["drained"] for r in rs), max(r["drained"] for r in rs),
                  "yes" if all(r["counted"] == r["n"] for r in rs) else "NO"))
    for rs in [by(recs, "events-json", kib=kib)
               for kib in sorted({r["kib"] for r in by(recs, "events-json")})]:
        per_cpu = [r["drained"] / (r["cpu_ns"] / 1e9) for r in rs if r["cpu_ns"]]
        t.add("4", "-r 0 -j, ring %d KiB: drain capacity" % rs[0]["kib"],
              [x / 1e6 for x in per_cpu], "{:.3f}M", ">= 1M/s", med(per_cpu) >= 1e6,
              "events per loader CPU-second, JSON output to /dev/null")
        t.add("4", "-r 0 -j, ring %d KiB: events lost of N" % rs[0]["kib"],
              [r["lost"] for r in rs], "{:.0f}", "0", all(r["lost"] == 0 for r in rs),
              "flood %.2f Mpps; drained %d..%d; counters exact (N) every round: %s" % (
                  med([r["pps"] for r in rs]) / 1e6, min(r["drained"] for r in rs),
                  max(r["drained"] for r in rs),
                  "yes" if all(r["counted"] == r["n"] for r in rs) else "NO"))
    for c in by(recs, "events-check"):
        ok = c["event_lines"] + c["lost"] == c["n"]
        t.add("4", "-r 0 -j to a file: event lines + lost = N", [c["event_lines"] + c["lost"]],
              "{:.0f}", "= N", ok, "%d lines, %d lost" % (c["event_lines"], c["lost"]))

    # 5 ----------------------------------------------------- start-up
    st = by(recs, "start")
    if st:
        ready = [r["ready_us"] / 1e3 for r in st]
        t.add("5", "start: exec -> ready file", ready, "{:.0f}ms", "<= 250ms", med(ready) <= 250)
        t.add("5", "stop: SIGINT -> exit (summary printed)", [r["exit_us"] / 1e3 for r in st],
              "{:.0f}ms")
        left = [len(r["left"].split()) for r in st]
        t.add("5", "stop: SIGINT -> no lnw_ program left", [r["gone_us"] / 1e3 for r in st],
              "{:.0f}ms", "none left", all(x == 0 for x in left),
              "programs left after 2 s: %d" % sum(left))

    # 6 -------------------------------------------------------- peers
    pe = by(recs, "peers")
    if pe:
        n = pe[0]["n"]
        t.add("6", "lnwatch martian-dst count (N = %d)" % n, [r["lnwatch_count"] for r in pe],
              "{:.0f}", "= N", all(r["lnwatch_count"] == n for r in pe),
              "and %s event lines (rate 5/s)" % med([r["lnwatch_events"] for r in pe]))
        if pe[0]["dmesg_readable"]:
            t.add("6", "log_martians: kernel log lines", [r["log_lines"] for r in pe], "{:.0f}",
                  detail="net_ratelimit: 10 per 5 s, host-wide; the rest suppressed")
        else:
            t.add("6", "log_martians: kernel log lines", text="unavailable",
                  detail="dmesg not readable here")
        if any(r["bpftrace_count"] is not None for r in pe):
            t.add("6", "bpftrace kfree_skb IP_LOCALNET: count()",
                  [r["bpftrace_count"] for r in pe], "{:.0f}",
                  detail="host-wide: any namespace's localnet drops")
            t.add("6", "bpftrace: lines printed (printf per drop)",
                  [r["bpftrace_lines"] for r in pe], "{:.0f}",
                  detail="lost (perf buffer): %s" % med([r["bpftrace_lost"] for r in pe]))
        else:
            t.add("6", "bpftrace one-liner", text="unavailable",
                  detail=pe[0].get("bpftrace_unavailable") or "not installed")

    head = ("lnwatch bench, %s, Linux %s, %s (%d CPUs); %s rounds, N = %d frames, "
            "%ss per throughput run; %s s in all" % (
                info["date"], info["kernel"], info["cpu"], info["ncpu"], info["rounds"],
                info["frames"], info["secs"], end.get("bench_seconds", "?")))
    missed = [r["figure"] for r in t.rows if r["met"] is False]
    print(head)
    print(t.text())
    print("targets missed: %s" % ("; ".join(missed) if missed else "none"))
    result = {"info": info, "bench_seconds": end.get("bench_seconds"), "rows": t.rows,
              "targets_missed": missed, "tc_cost": tc, "records": recs}
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    md = out[:-5] + ".md" if out.endswith(".json") else out + ".md"
    with open(md, "w") as f:
        f.write(head + "\n\n" + t.markdown() + "\n")
    print("results: %s, %s" % (out, md))


if __name__ == "__main__":
    main()
