#!/usr/bin/env bash
# Installs Debian's `chromium` package (used by the browser isomorphism tests
# through playwright-core with executablePath /usr/bin/chromium).
# Safe to run repeatedly: does nothing if /usr/bin/chromium already exists.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ ! -x "$CHROMIUM" ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=(sudo)
    else
      echo "install-chromium: not root and sudo is not available; cannot install chromium" >&2
      exit 1
    fi
  fi

  echo "install-chromium: $CHROMIUM not found, installing Debian package 'chromium'..."
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: $CHROMIUM still missing after install" >&2
  exit 1
fi

"$CHROMIUM" --version
