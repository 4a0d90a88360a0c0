#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# deploy/kubernetes: every manifest against its API schema (Kubernetes'
# own, and the Prometheus Operator's PodMonitor CRD: npm kubernetes-models,
# installed under $OUT by `make check`), a broken copy refused; then what
# a schema cannot know: the DaemonSet's capabilities are lnwatch.service's,
# its arguments are options of this binary, its probe, PodMonitor and
# mounts point at what exists, the audit writes where node_exporter reads.
# No cluster runs here: scheduling, the probe and a scrape are not tested.
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$E2E_DIR/../.." && pwd)
K8S=$TOP/deploy/kubernetes
VAL=$OUT/k8s-validate
if [ ! -d "$VAL/node_modules/kubernetes-models" ]; then
	fail "schema packages installed" "no $VAL/node_modules: make k8s-validate-deps (make check does)"
	exit 1
fi
cp "$K8S/validate/validate.mjs" "$VAL/"

while IFS= read -r line; do
	case $line in
	ok*) ok "${line#ok - }" ;;
	"not ok"*) fail "${line#not ok - }" "schema" ;;
	esac
done < <(node "$VAL/validate.mjs" "$K8S"/*.yaml 2>&1)
check "three manifests validated" "$(node "$VAL/validate.mjs" "$K8S"/*.yaml | grep -c '^ok')" 3

# The validator refuses what is wrong: a port as a word, a missing
# selector, a PodMonitor's endpoint list as a map, a duplicate key.
bad() { # NAME SED FILE
	sed "$2" "$K8S/$3" >"$TMPD/bad.yaml"
	if cmp -s "$TMPD/bad.yaml" "$K8S/$3"; then
		fail "$1" "the edit changed nothing"
	elif node "$VAL/validate.mjs" "$TMPD/bad.yaml" >"$TMPD/bad.out" 2>&1; then
		fail "$1" "accepted"
	else
		ok "$1 ($(sed -n 's/^not ok - //p' "$TMPD/bad.out" | head -1 | cut -c1-100))"
	fi
}
bad "refused: containerPort: metrics" 's/containerPort: 9862/containerPort: metrics/' daemonset.yaml
bad "refused: a DaemonSet without a selector" '/^  selector:/,/^  updateStrategy:/{/^  updateStrategy:/!d}' daemonset.yaml
bad "refused: podMetricsEndpoints as a map" 's/^    - port: metrics/      port: metrics/' podmonitor.yaml
bad "refused: a duplicate key" 's/^  hostPID: true/&/; /^      hostPID: true/p' daemonset.yaml

# ---- what a schema cannot know ----------------------------------------------------
# q EXPR: EXPR of the DaemonSet (d), the PodMonitor (p), the Namespace (n)
q() {
	python3 - "$K8S" "$1" <<'EOF'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1] + "/daemonset.yaml"))
p = yaml.safe_load(open(sys.argv[1] + "/podmonitor.yaml"))
n = yaml.safe_load(open(sys.argv[1] + "/namespace.yaml"))
pod = d["spec"]["template"]["spec"]
c = {x["name"]: x for x in pod["containers"]}
v = eval(sys.argv[2])
print(" ".join(map(str, v)) if isinstance(v, list) else v)
EOF
}
unit_caps=$(sed -n 's/^AmbientCapabilities=//p' "$TOP/deploy/systemd/lnwatch.service" | sed 's/CAP_//g')
check "the watch's capabilities are lnwatch.service's" "$(q 'c["lnwatch"]["securityContext"]["capabilities"]["add"]')" "$unit_caps"
check "all others dropped" "$(q 'c["lnwatch"]["securityContext"]["capabilities"]["drop"] + c["audit"]["securityContext"]["capabilities"]["drop"]')" "ALL ALL"
audit_caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$TOP/deploy/systemd/lnwatch-audit.service" | sed 's/CAP_//g')
check "the audit's capabilities are lnwatch-audit.service's" "$(q 'c["audit"]["securityContext"]["capabilities"]["add"]')" "$audit_caps"
check "not privileged, no escalation, read-only root" \
	"$(q '[c[k]["securityContext"][f] for k in ("lnwatch", "audit") for f in ("privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem")]')" \
	"False False True False False True"
check "host network and host PID" "$(q '[pod["hostNetwork"], pod["hostPID"]]')" "True True"
# the arguments: options of this binary (--metrics once it has it)
help=$("$OUT/lnwatch" --help; "$OUT/lnwatch" audit --help)
for o in $(q 'c["lnwatch"]["args"]' | tr ' ' '\n' | grep '^-') \
	 $(q 'c["audit"]["args"][0]' | grep -o -- ' -[-a-z]*'); do
	if grep -q -- "^ *\(-[a-zA-Z], \)\{0,1\}$o\b\|^ *$o," <<<"$help"; then
		ok "DaemonSet argument $o is an option of lnwatch"
	else
		fail "DaemonSet argument $o is an option of lnwatch" "not in --help"
	fi
done
check "the audit writes where the textfile volume is mounted" \
	"$(q '[m["mountPath"] for m in c["audit"]["volumeMounts"]]')/lnwatch.prom" \
	"$(q 'c["audit"]["args"][0]' | grep -o '/textfile/[a-z.]*')"
check "the textfile volume is the systemd unit's directory" \
	"$(q '[x["hostPath"]["path"] for x in pod["volumes"] if x["name"] == "textfile"]')" \
	"$(sed -n 's|^StateDirectory=|/var/lib/|p' "$TOP/deploy/systemd/lnwatch-audit.service")"
check "every volume mounted exists" \
	"$(q 'sorted({m["name"] for k in c for m in c[k].get("volumeMounts", [])} - {x["name"] for x in pod["volumes"]})')" ""
check "BTF, cgroup2 mounted read-only where lnwatch looks" \
	"$(q '[m["mountPath"] for m in c["lnwatch"]["volumeMounts"] if m.get("readOnly")]')" "/sys/kernel/btf /sys/fs/cgroup"
check "the probe scrapes /metrics on the metrics port" \
	"$(q '[c["lnwatch"]["readinessProbe"]["httpGet"][f] for f in ("path", "port")] + [x["name"] + ":" + str(x["containerPort"]) for x in c["lnwatch"]["ports"]]')" \
	"/metrics metrics metrics:9862"
check "--metrics listens on that port" "$(q 'c["lnwatch"]["args"][1]')" '$(NODE_IP):9862'
check "the PodMonitor selects the DaemonSet's pods, on their port" \
	"$(q '[p["spec"]["selector"]["matchLabels"] == d["spec"]["template"]["metadata"]["labels"], p["spec"]["podMetricsEndpoints"][0]["port"], p["metadata"]["namespace"] == d["metadata"]["namespace"] == n["metadata"]["name"]]')" \
	"True metrics True"
check "requests below limits" \
	"$(q '[c[k]["resources"]["requests"][r] != c[k]["resources"]["limits"][r] for k in c for r in ("cpu", "memory")]')" \
	"True True True True"
