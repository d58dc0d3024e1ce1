#!/usr/bin/env bash
# Installs what the benchmark's peers need that npm does not: Python's venv module (Debian's
# python3-venv, with apt when missing) and Bytewax in bench/.venv (bench/peers/setup-bytewax.sh).
# `npm run bench` and its smoke test install Bytewax themselves; CI runs this first so that a
# missing system package shows up as its own step. Safe to run repeatedly.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=(sudo)
    else
      echo "install-bench-peers: python3 lacks venv/ensurepip, and without root or sudo apt cannot install python3-venv" >&2
      exit 1
    fi
  fi
  echo "install-bench-peers: installing Debian's python3-venv..."
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv
fi

bash bench/peers/setup-bytewax.sh
