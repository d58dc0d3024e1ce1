#!/usr/bin/env bash
# Installs Debian's `chromium` package (used by the browser isomorphism tests
# through playwright-core with executablePath /usr/bin/chromium).
# Safe to run repeatedly: does nothing if /usr/bin/chromium already exists.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
# shellcheck source=lib/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"

if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: $CHROMIUM not found, installing Debian package 'chromium'..."
  apt_install chromium
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: $CHROMIUM still missing after install" >&2
  exit 1
fi

"$CHROMIUM" --version
