# Sourced by the install scripts: `apt_install PACKAGE...` installs Debian packages with apt-get,
# through sudo when not root; fails with a clear message when neither is possible.
apt_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "apt_install: not root and sudo is not available; cannot install $*" >&2
      return 1
    fi
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}
