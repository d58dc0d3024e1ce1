#!/usr/bin/env bash
# Installs what the benchmark's peers need that npm does not: Python's venv module (Debian's
# python3-venv, with apt when missing) and Bytewax in bench/.venv (bench/peers/setup-bytewax.sh).
# `npm run bench` and its smoke test install Bytewax themselves; CI runs this first so that a
# missing system package shows up as its own step. Safe to run repeatedly.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/apt-install.sh
source scripts/lib/apt-install.sh

if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  echo "install-bench-peers: installing Debian's python3-venv..."
  apt_install python3-venv
fi

bash bench/peers/setup-bytewax.sh
