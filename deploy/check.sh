#!/usr/bin/env bash
# Offline checks of the delivery files: Dockerfile, docker-compose.yml, deploy/k8s,
# .gitlab-ci.yml and docs/configuration.md. No Docker engine, cluster or internet needed;
# only Debian's package mirror and the npm registry, for the first run on a machine.
#
#   deploy/check.sh            (from anywhere; called by ./build.sh test)
#
# 1. yamllint on every YAML file (config: .yamllint)
# 2. `kubectl kustomize` renders every overlay (and the cluster example)
# 3. every rendered object validated against the Kubernetes / cert-manager schemas
#    (npm kubernetes-models, @kubernetes-models/cert-manager; unknown fields fail too),
#    plus what a schema cannot see: probes on /health/live and /health/ready at the
#    Dockerfile's port, non-root/read-only pods, the Hangfire role switch, the migration
#    Job's command, apex + wildcard hosts in Ingress and Certificate, no Secret objects
# 4. the Dockerfile's essentials (hadolint is not obtainable here: not in Debian, and the
#    npm/PyPI "hadolint" packages only wrap a binary downloaded from GitHub)
# 5. docker-compose.yml against the Compose specification schema
# 6. every environment variable used in the manifests and compose is in
#    docs/configuration.md and (once src/ has code) read by the app; probe paths exist in src/
# 7. .gitlab-ci.yml: parsed, and its jobs listed by gitlab-ci-local (see below)
# 8. deploy/deploy.sh against a stand-in kubectl: the order of its steps and the image
# Exits non-zero if anything failed. Idempotent; installs what it needs when missing.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
checks="$repo/deploy/checks"
cd "$repo"
start=$SECONDS
failures=()
passes=()
step() { printf '\n== %s\n' "$*"; }
pass() { passes+=("$1"); echo "ok    $1"; }
failed() { failures+=("$1"); echo "FAIL  $1" >&2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ------------------------------------------------------------------ tools
apt_updated=false
apt_install() {
  if ! $apt_updated; then apt-get update -qq; apt_updated=true; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
step "tools"
command -v yamllint >/dev/null || apt_install yamllint
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
if ! command -v kubectl >/dev/null; then
  # Kubernetes' own apt repository is not configured here and Debian's kubernetes-client
  # (1.20, kustomize v2) is too old for this kustomization, so only a kubectl package
  # named `kubectl` from a configured repository is tried; CI jobs install kubectl first.
  if apt-cache policy kubectl 2>/dev/null | grep -q 'Candidate: [0-9]'; then apt_install kubectl; fi
fi
if ! command -v kubectl >/dev/null; then
  failed "kubectl not found and not installable from the configured package repositories: install kubectl >= 1.27 (kustomize v5) and rerun"
fi
lock_hash=$(sha256sum "$checks/package-lock.json" | cut -d' ' -f1)
if [[ ! -f "$checks/node_modules/.lock-hash" ]] || [[ "$(cat "$checks/node_modules/.lock-hash")" != "$lock_hash" ]]; then
  (cd "$checks" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 || npm ci --no-audit --no-fund)
  echo "$lock_hash" >"$checks/node_modules/.lock-hash"
fi
echo "yamllint $(yamllint --version | cut -d' ' -f2), node $(node --version), $(kubectl version --client 2>/dev/null | head -1 || echo 'no kubectl')"

# ------------------------------------------------------------------ 1. yamllint
step "yamllint"
mapfile -t yaml_files < <(git ls-files --cached --others --exclude-standard '*.yml' '*.yaml' ':!:**/node_modules/**' | sort -u)
if yamllint --strict -c .yamllint "${yaml_files[@]}"; then
  pass "yamllint: ${#yaml_files[@]} YAML files"
else
  failed "yamllint"
fi

# ------------------------------------------------------------------ 2. render
step "kubectl kustomize"
mkdir -p "$work/rendered"
if command -v kubectl >/dev/null; then
  for dir in deploy/k8s/overlays/*/ deploy/k8s/cluster/; do
    name=$(basename "$dir")
    if kubectl kustomize "$dir" >"$work/rendered/$name.yaml" 2>"$work/kustomize.err"; then
      pass "kustomize renders $dir ($(grep -c '^kind:' "$work/rendered/$name.yaml") objects)"
    else
      cat "$work/kustomize.err" >&2
      rm -f "$work/rendered/$name.yaml"
      failed "kustomize $dir"
    fi
  done
fi

# ------------------------------------------------------------------ 3.-6. validate
step "schemas, Dockerfile, compose, probes, configuration keys"
if node "$checks/validate.mjs" "$repo" "$work/rendered" >"$work/validate.out" 2>&1; then
  grep -vE '^ok ' "$work/validate.out" || true
  pass "$(tail -1 "$work/validate.out")"
else
  grep -vE '^ok ' "$work/validate.out" >&2 || true
  failed "$(tail -1 "$work/validate.out")"
fi

# ------------------------------------------------------------------ 7. .gitlab-ci.yml
# gitlab-ci-local would fetch `include: template: Auto-DevOps.gitlab-ci.yml` from gitlab.com,
# which is not reachable here. So: (a) the real file is parsed as YAML and its key settings
# are checked; (b) gitlab-ci-local (which also validates against GitLab's CI JSON schema)
# lists the jobs of a copy whose template include is swapped for deploy/checks/auto-devops-stub.yml,
# a stand-in with the template's stages and the jobs we rely on or switch off.
step ".gitlab-ci.yml"
if node --input-type=module - "$repo/.gitlab-ci.yml" "$checks" >"$work/ci.out" 2>&1 <<'JS'
import fs from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(process.argv[3] + "/");
const YAML = require("yaml");
const ci = YAML.parse(fs.readFileSync(process.argv[2], "utf8"));
const problems = [];
const expect = (cond, what) => { if (!cond) problems.push(what); };
expect((ci.include ?? []).some((i) => i.template === "Auto-DevOps.gitlab-ci.yml"), "includes template Auto-DevOps.gitlab-ci.yml");
expect(ci.test?.script?.includes("./build.sh test"), "test runs ./build.sh test");
// build.sh test takes its admin connection from one of these instead of starting PostgreSQL.
const buildSh = fs.readFileSync(process.argv[2].replace(/\.gitlab-ci\.yml$/, "build.sh"), "utf8");
const adminVar = ["CUSTOMERINFO_TEST_POSTGRES", "ConnectionStrings__Postgres"].find((k) => ci.test?.variables?.[k]);
expect(adminVar && buildSh.includes(`\${${adminVar}:-}`), "test sets an admin connection that build.sh reads (CUSTOMERINFO_TEST_POSTGRES)");
const alias = (ci.test?.services ?? []).find((s) => /^postgres:/.test(s.name ?? s))?.alias;
expect(alias && new RegExp(`Host=${alias};`).test(ci.test?.variables?.[adminVar] ?? ""), "the admin connection points at the postgres service alias");
expect((ci.test?.services ?? []).some((s) => /^postgres:/.test(s.name ?? s)), "test has a postgres service");
const re = new RegExp(ci.test?.coverage?.replace(/^\/|\/$/g, "") ?? "^$");
expect(re.exec("Line coverage: 93.4%")?.[1] === "93.4", "test coverage regex captures 'Line coverage: 93.4%'");
const cov = ci.test?.artifacts?.reports?.coverage_report;
expect(cov?.coverage_format === "cobertura" && cov?.path === "coverage/Cobertura.xml", "coverage_report cobertura coverage/Cobertura.xml");
expect(ci.lint?.script?.length > 0, "a lint job");
expect(JSON.stringify(ci.production?.rules) === JSON.stringify([{ when: "never" }]), "the template's production job switched off");
for (const env of ["staging", "production"]) {
  const job = ci[`deploy:${env}`];
  expect(job?.environment?.name === env, `deploy:${env} has environment ${env}`);
}
expect(ci[".deploy"]?.script?.join(" ").includes("deploy/deploy.sh"), ".deploy runs deploy/deploy.sh");
expect(ci["deploy:production"]?.rules?.some((r) => r.when === "manual"), "deploy:production is manual");
expect(!Object.keys(ci.variables ?? {}).some((k) => /^(STAGING_ENABLED|CANARY_ENABLED|INCREMENTAL_ROLLOUT_MODE)$/.test(k)), "no template deploy switches on");
if (problems.length) { console.log("missing: " + problems.join("; ")); process.exit(1); }
console.log("all expected settings present");
JS
then
  pass ".gitlab-ci.yml parses and has the expected settings"
else
  cat "$work/ci.out" >&2
  failed ".gitlab-ci.yml settings"
fi

mkdir -p "$work/ci"
sed 's|^  - template: Auto-DevOps.gitlab-ci.yml$|  - local: auto-devops-stub.yml|' .gitlab-ci.yml >"$work/ci/.gitlab-ci.yml"
cp "$checks/auto-devops-stub.yml" "$work/ci/"
(
  cd "$work/ci"
  git init -q -b main
  git remote add origin https://gitlab.example.com/customerinfo/customerinfo.git
  git add -A
  git -c user.email=check@localhost -c user.name=check commit -qm check
  git update-ref refs/remotes/origin/main HEAD
  git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
)
if (cd "$work/ci" && timeout 120 "$checks/node_modules/.bin/gitlab-ci-local" --list) >"$work/glc.out" 2>&1; then
  sed -n '/^name /,$p' "$work/glc.out"
  missing=()
  for job in build test lint container_scanning sast deploy:staging deploy:production; do
    grep -qE "^$job " "$work/glc.out" || missing+=("$job")
  done
  grep -qE '^deploy:production +.*manual' "$work/glc.out" || missing+=("deploy:production (manual)")
  for job in staging production; do
    ! grep -qE "^$job " "$work/glc.out" || missing+=("template job $job should not run")
  done
  if ((${#missing[@]} == 0)); then pass "gitlab-ci-local lists the pipeline's jobs"; else failed "gitlab-ci-local job list: ${missing[*]}"; fi
else
  cat "$work/glc.out" >&2
  failed "gitlab-ci-local --list"
fi

# ------------------------------------------------------------------ 8. deploy.sh
step "deploy/deploy.sh with a stand-in kubectl"
if command -v kubectl >/dev/null; then
  mkdir -p "$work/fakebin"
  cat >"$work/fakebin/kubectl" <<FAKE
#!/usr/bin/env bash
# Stand-in: renders with the real kubectl, records every other call.
if [[ \$1 == kustomize ]]; then exec $(command -v kubectl) "\$@"; fi
echo "kubectl \$*" >>"$work/kubectl.log"
if [[ \$1 == apply && \$2 == -f ]]; then cp "\$3" "$work/applied.yaml"; fi
if [[ "\$*" == *jsonpath* ]]; then echo "Complete "; fi
FAKE
  chmod +x "$work/fakebin/kubectl"
  image="registry.example.com/customerinfo/main:0123abcd"
  if PATH="$work/fakebin:$PATH" deploy/deploy.sh staging "$image" >"$work/deploy.out" 2>&1; then
    order=$(grep -nE 'delete job|component notin|apply -f [^ ]+$|rollout status' "$work/kubectl.log" | cut -d: -f1 | tr '\n' ' ')
    applied_images=$(grep -E '^ +image: ' "$work/applied.yaml" 2>/dev/null | sort -u | awk '{print $2}' || true)
    if [[ "$applied_images" == "$image" ]] && [[ $(wc -w <<<"$order") -eq 5 ]] && awk '{ for (i = 2; i <= NF; i++) if ($i <= $(i - 1)) exit 1 }' <<<"$order"; then
      pass "deploy.sh: migration Job first, then the workloads, all with $image"
    else
      cat "$work/kubectl.log" >&2
      failed "deploy.sh: order or image wrong (images: $applied_images)"
    fi
    ls -d deploy/k8s/.release-* >/dev/null 2>&1 && failed "deploy.sh left deploy/k8s/.release-* behind"
  else
    cat "$work/deploy.out" >&2
    failed "deploy.sh"
  fi
fi

# ------------------------------------------------------------------ summary
printf '\n== summary (%ss)\n' "$((SECONDS - start))"
echo "deploy checks: ${#passes[@]} passed, ${#failures[@]} failed"
if ((${#failures[@]})); then
  printf '  FAIL %s\n' "${failures[@]}" >&2
  exit 1
fi
