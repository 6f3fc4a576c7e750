#!/usr/bin/env bash
# Builds one piece of the proof's toolchain from Go modules, into a folder keyed by version under the
# kit's cache (never inside the repository). Called by src/prove/toolchain.ts, which decides what is
# missing and passes every version in the environment:
#
#   build-toolchain.sh preflight    MODULE@VERSION...  each module resolvable through the Go module proxy
#   build-toolchain.sh controlplane                    kube-apiserver + etcd (K8S_VERSION, OUT)
#   build-toolchain.sh provider                        a Terraform provider (MODULE, MODULE_VERSION, LDFLAGS, OUT)
#   build-toolchain.sh opentofu                        OpenTofu (TOFU_VERSION, OUT)
#
# Binaries are linked into a temporary name and renamed into place, so an interrupted build never
# leaves a binary that looks complete. Everything here is our own build recipe; no source is copied.
set -euo pipefail
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-modcacherw

piece=${1:?"usage: build-toolchain.sh preflight|controlplane|provider|opentofu"}
shift

# `go list -m` queries the proxy for a module's .info and .mod only: cheap, and it fails with the
# proxy's own words when a version is not served.
preflight() {
  local failed=0 module
  for module in "$@"; do
    if ! out=$(cd "$(mktemp -d)" && go list -m -json "$module" 2>&1); then
      echo "not available: $module" >&2
      echo "$out" | sed 's/^/    /' >&2
      failed=1
    fi
  done
  return $failed
}

# A throwaway module (ours, generated here, kept in the cache) that requires k8s.io/kubernetes and
# points each of its staging modules (required there as v0.0.0 with a ./staging replace, which `go
# install` refuses) at its published version. etcd comes from the same module graph, at the version
# Kubernetes itself pins.
controlplane() {
  : "${K8S_VERSION:?}" "${OUT:?}"
  local staging_version="v0.${K8S_VERSION#v1.}" minor
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  local src="$OUT/src"
  mkdir -p "$src"
  cd "$src"
  printf 'module govstack.local/controlplane\n\ngo 1.25.0\n' > go.mod
  local kmod
  kmod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["GoMod"]) if "GoMod" in d else sys.exit(d.get("Error"))')
  local modules
  modules=$(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" {print $1}' "$kmod" | sort -u)
  {
    printf 'module govstack.local/controlplane\n\ngo 1.25.0\n\nrequire k8s.io/kubernetes %s\n\nrequire (\n' "$K8S_VERSION"
    for m in $modules; do printf '\t%s %s\n' "$m" "$staging_version"; done
    printf ')\n\nreplace (\n'
    for m in $modules; do printf '\t%s => %s %s\n' "$m" "$m" "$staging_version"; done
    printf ')\n'
  } > go.mod
  local version_flags="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1"
  version_flags+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  version_flags+=" -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
  version_flags+=" -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1"
  version_flags+=" -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  echo "building kube-apiserver $K8S_VERSION"
  go build -mod=mod -trimpath -ldflags "-s -w $version_flags" -o "$OUT/kube-apiserver.partial" k8s.io/kubernetes/cmd/kube-apiserver
  echo "building etcd (the version kube-apiserver $K8S_VERSION pins)"
  go build -mod=mod -trimpath -ldflags "-s -w" -o "$OUT/etcd.partial" go.etcd.io/etcd/server/v3
  "$OUT/kube-apiserver.partial" --version | grep -qx "Kubernetes $K8S_VERSION" \
    || { echo "kube-apiserver reports $("$OUT/kube-apiserver.partial" --version), not $K8S_VERSION" >&2; exit 1; }
  "$OUT/etcd.partial" --version >/dev/null
  mv "$OUT/etcd.partial" "$OUT/etcd"
  mv "$OUT/kube-apiserver.partial" "$OUT/kube-apiserver"
}

# A provider is a plain Go module without replace directives: `go install module@version` builds it.
provider() {
  : "${MODULE:?}" "${MODULE_VERSION:?}" "${OUT:?}"
  local name
  name=$(basename "$MODULE")
  mkdir -p "$OUT/gobin"
  echo "building $MODULE@$MODULE_VERSION"
  GOBIN="$OUT/gobin" go install -trimpath -ldflags "-s -w ${LDFLAGS:-}" "$MODULE@$MODULE_VERSION"
  mv "$OUT/gobin/$name" "$OUT/$name"
  rmdir "$OUT/gobin"
}

# OpenTofu's go.mod has one replace (its hcl fork), which `go install` refuses: a wrapper module
# repeats it. Its version comes from the embedded version/VERSION file.
opentofu() {
  : "${TOFU_VERSION:?}" "${OUT:?}" "${TOFU_HCL_REPLACE:?}"
  mkdir -p "$OUT/src"
  cd "$OUT/src"
  printf 'module govstack.local/tofu\n\ngo 1.26.6\n\nrequire github.com/opentofu/opentofu %s\n\nreplace %s\n' "$TOFU_VERSION" "$TOFU_HCL_REPLACE" > go.mod
  echo "building OpenTofu $TOFU_VERSION"
  go build -mod=mod -trimpath -ldflags "-s -w" -o "$OUT/tofu.partial" github.com/opentofu/opentofu/cmd/tofu
  "$OUT/tofu.partial" version >/dev/null
  mv "$OUT/tofu.partial" "$OUT/tofu"
}

case "$piece" in
  preflight) preflight "$@" ;;
  controlplane) controlplane ;;
  provider) provider ;;
  opentofu) opentofu ;;
  *) echo "unknown piece: $piece" >&2; exit 2 ;;
esac
