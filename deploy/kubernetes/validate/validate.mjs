// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
// node validate.mjs FILE.yaml...: every document of every file parsed
// (YAML 1.2, duplicate keys refused) and validated against its schema:
// the Kubernetes API's (kubernetes-models) or the Prometheus Operator's
// PodMonitor CRD (@kubernetes-models/prometheus-operator). Prints TAP
// lines "ok - FILE#N KIND NAME" or "not ok - ...: errors"; exit 1 on any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
// apiVersion/kind -> the module of its model
function modelOf(apiVersion, kind) {
  if (apiVersion === "monitoring.coreos.com/v1")
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return `kubernetes-models/${group === "" ? version : `${group}/${version}`}/${kind}`;
}

let bad = 0;
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { uniqueKeys: true });
  docs.forEach((doc, i) => {
    const where = `${file.split("/").pop()}#${i + 1}`;
    if (doc.errors.length) {
      bad++;
      console.log(`not ok - ${where}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      return;
    }
    const obj = doc.toJS();
    if (!obj || !obj.apiVersion || !obj.kind) {
      bad++;
      console.log(`not ok - ${where}: no apiVersion or kind`);
      return;
    }
    let Model;
    try {
      Model = require(modelOf(obj.apiVersion, obj.kind))[obj.kind];
    } catch (e) {
      bad++;
      console.log(`not ok - ${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
      return;
    }
    try {
      new Model(obj).validate();
      console.log(`ok - ${where} ${obj.kind} ${obj.metadata?.name} matches the ${obj.apiVersion} schema`);
    } catch (e) {
      bad++;
      console.log(`not ok - ${where} ${obj.kind}: ${String(e.message).replace(/\n/g, "; ")}`);
    }
  });
}
process.exit(bad ? 1 : 0);
