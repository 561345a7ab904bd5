#!/usr/bin/env bash
# What the Deploy tests (tests/Deploy) need: a private sshd (openssh-server, ssh-keygen), Nginx, curl (the on-host
# health check), tar/sha256sum/gzip (the release steps), node (the fixture app; PM2 comes from npm ci), sudo and
# useradd (a non-root deploy user whose only sudo right is the Nginx switch helper).
# The tests start their own sshd/Nginx/PM2 on free loopback ports.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need openssh-server has sshd
need openssh-client has ssh-keygen
need nginx has nginx
need curl has curl
need tar has tar
need coreutils has sha256sum
need gzip has gzip
need nodejs has node
# The least-privilege deploy test: a non-root deploy user whose only sudo right is the Nginx switch helper.
need sudo has sudo
need passwd has useradd
install_needed

# sshd refuses to start without its privilege-separation directory.
mkdir -p /run/sshd
chmod 0755 /run/sshd

# The Deploy tests start sshd and nginx as PATH programs; Debian puts them in /usr/sbin.
for tool in sshd nginx; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup-deploy: $tool is not on PATH (Debian puts it in /usr/sbin): add /usr/sbin to PATH" >&2
    exit 1
  fi
done
echo "setup-deploy: sshd $(sshd -V 2>&1 | head -n 1 || true), $(nginx -v 2>&1), node $(node --version)"
