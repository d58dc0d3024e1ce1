#!/usr/bin/env bash
# Installs what the tests of deploy/kubernetes (test/deploy/) need that npm does not, into
# .deploy-tools/ (ignored by git):
#
# - kubernetes-validate (PyPI, pinned) in .deploy-tools/venv: validates manifests offline against
#   the Kubernetes JSON schemas it bundles (one set per Kubernetes release, strict variants that
#   refuse unknown fields). Needs Python 3 with venv (Debian's python3-venv, installed when missing).
# - kustomize, only where kubectl (which embeds it, `kubectl kustomize`) is missing: built from the
#   Go module proxy at the version kubectl 1.32 embeds, into .deploy-tools/bin (needs Go).
#
# Nothing here reaches the network at test time. Safe to run repeatedly: each part does nothing
# when it is already there.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/apt-install.sh
source scripts/lib/apt-install.sh

KUBERNETES_VALIDATE_VERSION="1.37.0"
KUSTOMIZE_VERSION="v5.5.0"
TOOLS="$PWD/.deploy-tools"
VPY="$TOOLS/venv/bin/python"

installed_validator() {
  "$VPY" -c 'import importlib.metadata as m; print(m.version("kubernetes-validate"))' 2>/dev/null || true
}

if [[ -x "$VPY" && "$(installed_validator)" == "$KUBERNETES_VALIDATE_VERSION" ]]; then
  echo "install-deploy-peers: kubernetes-validate $KUBERNETES_VALIDATE_VERSION already in $TOOLS/venv"
else
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo "install-deploy-peers: installing Debian's python3-venv..."
    apt_install python3-venv
  fi
  [[ -x "$VPY" ]] || python3 -m venv "$TOOLS/venv"
  "$VPY" -m pip install --disable-pip-version-check --quiet "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  v="$(installed_validator)"
  [[ "$v" == "$KUBERNETES_VALIDATE_VERSION" ]] || { echo "install-deploy-peers: expected kubernetes-validate $KUBERNETES_VALIDATE_VERSION, found '${v:-none}'" >&2; exit 1; }
  echo "install-deploy-peers: kubernetes-validate $v installed in $TOOLS/venv"
fi

if command -v kubectl >/dev/null 2>&1; then
  echo "install-deploy-peers: kustomize from kubectl ($(kubectl version --client 2>/dev/null | tr '\n' ' '))"
elif [[ -x "$TOOLS/bin/kustomize" ]]; then
  echo "install-deploy-peers: kustomize already in $TOOLS/bin"
else
  command -v go >/dev/null 2>&1 || { echo "install-deploy-peers: neither kubectl nor Go is installed: install kubectl, or Go to build kustomize" >&2; exit 1; }
  echo "install-deploy-peers: kubectl is missing; building kustomize $KUSTOMIZE_VERSION into $TOOLS/bin..."
  GOBIN="$TOOLS/bin" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
  echo "install-deploy-peers: kustomize $KUSTOMIZE_VERSION installed in $TOOLS/bin"
fi
