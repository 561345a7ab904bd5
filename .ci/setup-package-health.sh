#!/usr/bin/env bash
# What the Packaging and Health tests (and bench/deploy.sh) need: GNU tar and sha256sum to read artifacts back the
# way a host does, and node >= 18 for the Node health servers.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need tar has tar
need coreutils has sha256sum
need gzip has gzip
need nodejs has node
install_needed

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 18 )); then
  echo "setup-package-health: node $(node --version) is too old (the health servers need >= 18)" >&2
  exit 1
fi
