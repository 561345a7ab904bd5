# Sourced by .ci/run and every .ci/setup-*.sh: installs Debian packages only when what they provide is missing.
#   need PACKAGE CHECK...   queue PACKAGE unless the command CHECK... succeeds
#   has PROGRAM             true when PROGRAM is on PATH or in /usr/sbin (sshd, nginx)
#   install_needed          apt-get install everything queued (root only), once
_ci_missing=()

has() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]]; }

need() {
  local package=$1; shift
  "$@" >/dev/null 2>&1 || _ci_missing+=("$package")
}

install_needed() {
  (( ${#_ci_missing[@]} == 0 )) && return 0
  if [[ "$(id -u)" != 0 ]]; then echo "need root to apt-get install ${_ci_missing[*]}" >&2; return 1; fi
  echo "apt-get install ${_ci_missing[*]}"
  apt-get update -qq || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${_ci_missing[@]}" >/dev/null \
    || return 1
  _ci_missing=()
  # Debian starts these on install; the tests run private instances on free loopback ports instead.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop nginx postgresql ssh 2>/dev/null || true; fi
}
