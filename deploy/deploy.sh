#!/usr/bin/env bash
# Deploy one environment of CustomerInfo to the current kubectl context.
#
#   deploy/deploy.sh staging|production IMAGE
#   e.g. deploy/deploy.sh staging registry.gitlab.com/acme/customerinfo/main:3f2a9c1...
#
# Used by the deploy jobs in .gitlab-ci.yml; works the same from a laptop.
# Order (the schema must be in place before new code serves traffic):
#   1. render deploy/k8s/overlays/ENV with the image (once; the same file is applied below)
#   2. check that the Secret customerinfo-secrets exists (see docs/deploy.md) and let the
#      API server validate the manifests (server-side dry run)
#   3. delete the previous migration Job (a Job's pod template is immutable)
#   4. apply everything except the web and worker workloads: ConfigMap, ServiceAccount,
#      NetworkPolicy, Certificate and the migration Job with the new image
#   5. wait until the Job has completed (fail, with its logs, if it failed)
#   6. apply everything (the Job is unchanged, so it does not run again)
#   7. wait for the web and worker rollouts
set -euo pipefail

usage() { echo "usage: $0 staging|production IMAGE[:TAG]" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
env_name=$1
image=$2
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
overlay="$repo_root/deploy/k8s/overlays/$env_name"
[[ -f "$overlay/kustomization.yaml" ]] || { echo "no overlay $overlay" >&2; usage; }
namespace=$(awk '/^namespace:/ { print $2 }' "$overlay/kustomization.yaml")
[[ -n "$namespace" ]] || { echo "overlay $overlay sets no namespace" >&2; exit 1; }
timeout=${DEPLOY_TIMEOUT:-600}

# Split IMAGE into name and tag/digest for kustomize's image transformer.
if [[ "$image" == *@* ]]; then
  image_name=${image%@*}; image_ref="digest: ${image#*@}"
elif [[ "${image##*/}" == *:* ]]; then
  image_name=${image%:*}; image_ref="newTag: \"${image##*:}\""
else
  echo "IMAGE needs a tag or digest: $image" >&2; exit 2
fi

# 1. A throw-away kustomization inside the repo (kustomize loads bases by relative path).
release_dir=$(mktemp -d "$repo_root/deploy/k8s/.release-$env_name.XXXXXX")
trap 'rm -rf "$release_dir"' EXIT
cat >"$release_dir/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../overlays/$env_name
images:
  - name: customerinfo
    newName: $image_name
    $image_ref
YAML
manifests="$release_dir/manifests.yaml"
kubectl kustomize "$release_dir" >"$manifests"
echo "==> $env_name: namespace $namespace, image $image"

# 2.
if ! kubectl -n "$namespace" get secret customerinfo-secrets >/dev/null; then
  echo "Secret customerinfo-secrets is missing in namespace $namespace (see docs/deploy.md)" >&2
  exit 1
fi

# The API server validates everything but the Job (whose old copy is still there)
# before anything changes.
kubectl apply -f "$manifests" -l 'app.kubernetes.io/component!=migration' --dry-run=server >/dev/null

# 3.-4.
kubectl -n "$namespace" delete job customerinfo-migrate --ignore-not-found --wait=true
kubectl apply -f "$manifests" -l 'app.kubernetes.io/component notin (web,worker)'

# 5.
echo "==> waiting for the schema migration Job (at most ${timeout}s)"
deadline=$((SECONDS + timeout))
while :; do
  state=$(kubectl -n "$namespace" get job customerinfo-migrate \
    -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
  if [[ " $state " == *" Complete "* ]]; then
    echo "==> migration complete"
    break
  fi
  if [[ " $state " == *" Failed "* ]] || ((SECONDS > deadline)); then
    echo "==> migration failed or timed out (conditions: ${state:-none}); its logs:" >&2
    kubectl -n "$namespace" logs job/customerinfo-migrate --all-containers --tail=200 >&2 || true
    exit 1
  fi
  sleep 5
done

# 6.-7.
kubectl apply -f "$manifests"
kubectl -n "$namespace" rollout status deployment/customerinfo-web --timeout="${timeout}s"
kubectl -n "$namespace" rollout status deployment/customerinfo-worker --timeout="${timeout}s"
echo "==> $env_name deployed"
