#!/usr/bin/env bash
# What the Deploy tests (tests/Deploy) need: a private sshd (openssh-server, ssh-keygen), Nginx, curl (the on-host
# health check), bash, tar/sha256sum/base64 (the release steps), node (the fixture app; PM2 comes from npm ci).
# Idempotent: installs only what is missing. The tests start their own sshd/Nginx/PM2 on free loopback ports.
set -euo pipefail

missing=()
[[ -x /usr/sbin/sshd ]] || command -v sshd >/dev/null 2>&1 || missing+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
[[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v tar >/dev/null 2>&1 || missing+=(tar)
command -v sha256sum >/dev/null 2>&1 || missing+=(coreutils)
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
if (( ${#missing[@]} > 0 )); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# sshd refuses to start without its privilege-separation directory.
mkdir -p /run/sshd
chmod 0755 /run/sshd

# The Deploy tests start sshd and nginx as PATH programs; Debian puts them in /usr/sbin.
for tool in sshd nginx; do
  if ! command -v "$tool" >/dev/null 2>&1 && [[ -x "/usr/sbin/$tool" ]]; then
    echo "setup-deploy: /usr/sbin is not on PATH (the tests look for $tool there): add it to PATH" >&2
    exit 1
  fi
done
echo "setup-deploy: sshd $(/usr/sbin/sshd -V 2>&1 | head -n 1 || true), $(nginx -v 2>&1), node $(node --version)"
