#!/usr/bin/env bash
# What the Packaging and Health tests (and bench/deploy.sh) need beyond .ci/run's common packages: GNU tar and
# sha256sum to read artifacts back the way a host does, and node >= 18 for the Node health servers. Idempotent.
set -euo pipefail

missing=()
command -v tar >/dev/null 2>&1 || missing+=(tar)
command -v sha256sum >/dev/null 2>&1 || missing+=(coreutils)
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
if (( ${#missing[@]} > 0 )); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 18 )); then
  echo "setup-package-health: node $(node --version) is too old (the health servers need >= 18)" >&2
  exit 1
fi
