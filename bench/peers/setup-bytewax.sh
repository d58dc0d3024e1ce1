#!/usr/bin/env bash
# Creates bench/.venv with Bytewax pinned at 0.21.1 for the benchmark's Bytewax peer.
# Idempotent: does nothing when the venv already has that version. Prints the installed version.
# Usage: bash bench/peers/setup-bytewax.sh   (env PYTHON overrides the interpreter, default python3)
set -euo pipefail

BYTEWAX_VERSION="0.21.1"
PYTHON="${PYTHON:-python3}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$(cd "$HERE/.." && pwd)/.venv"
VPY="$VENV/bin/python"

installed_version() {
  "$VPY" -c 'import importlib.metadata as m; print(m.version("bytewax"))' 2>/dev/null || true
}

if [[ -x "$VPY" && "$(installed_version)" == "$BYTEWAX_VERSION" ]]; then
  echo "bytewax $BYTEWAX_VERSION already installed in $VENV"
  exit 0
fi

command -v "$PYTHON" >/dev/null 2>&1 || { echo "error: $PYTHON not found (need Python 3.11 for the bytewax cp311 wheel)" >&2; exit 1; }
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || {
  echo "error: $PYTHON lacks the venv/ensurepip modules (on Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }

if [[ ! -x "$VPY" ]]; then
  "$PYTHON" -m venv "$VENV" || { echo "error: '$PYTHON -m venv $VENV' failed" >&2; exit 1; }
fi
"$VPY" -m pip --version >/dev/null 2>&1 || { echo "error: pip is missing in $VENV (recreate it: rm -rf $VENV)" >&2; exit 1; }
"$VPY" -m pip install --disable-pip-version-check --quiet "bytewax==$BYTEWAX_VERSION" || {
  echo "error: pip install bytewax==$BYTEWAX_VERSION failed (needs PyPI access and a cp311 manylinux wheel)" >&2; exit 1; }

v="$(installed_version)"
[[ "$v" == "$BYTEWAX_VERSION" ]] || { echo "error: expected bytewax $BYTEWAX_VERSION, found '${v:-none}'" >&2; exit 1; }
echo "bytewax $v installed in $VENV"
