#!/bin/bash
# muva-nginx-switch <upstream name> <port>
#
# Installed once by root (docs/deploy.md, "Setting up a VPS once"), owned by root, mode 755, and the only command the
# deploy user may run with sudo:
#   deploy ALL=(root) NOPASSWD: /usr/local/sbin/muva-nginx-switch
# It points one Nginx upstream at one of the ports configured for it, by root, in
# $CONF_DIR/<upstream name>.conf (root-owned, not writable by anyone else):
#   upstream_file=/etc/nginx/conf.d/muva-chat.upstream.conf
#   ports="3000 3001"
#   nginx=(/usr/sbin/nginx)        # optional: the nginx command, for `-t` and `-s reload`
# The include is written from a fixed template, checked with `nginx -t` and reloaded; on any failure the previous
# include is put back. The deploy user never writes a file root's Nginx reads, and cannot reload anything else.
set -euo pipefail
umask 022
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CONF_DIR=/etc/muva-nginx-switch

die() { printf 'muva-nginx-switch: %s\n' "$*" >&2; exit 2; }

[ $# -eq 2 ] || die "usage: muva-nginx-switch <upstream name> <port>"
name=$1
port=$2
[[ $name =~ ^[A-Za-z0-9_.-]+$ ]] || die "upstream name '$name' must be letters, digits, '.', '_' or '-'"
[[ $port =~ ^[0-9]{1,5}$ ]] || die "port '$port' is not a number"

conf="$CONF_DIR/$name.conf"
[ -f "$conf" ] || die "$conf does not exist: as root, create it with upstream_file=... and ports=\"...\" (docs/deploy.md)"
# Sourced as root: only a file that root alone may change.
[ "$(stat -c %u "$conf")" = 0 ] || die "$conf must be owned by root"
(( ( 8#$(stat -c %a "$conf") & 8#022 ) == 0 )) || die "$conf must not be writable by group or others (chmod 644 $conf)"

upstream_file=''
ports=''
nginx=(nginx)
# shellcheck source=/dev/null
. "$conf"
[ -n "$upstream_file" ] || die "$conf sets no upstream_file"
case " $ports " in
  *" $port "*) ;;
  *) die "port $port is not one of the ports configured for $name in $conf ($ports)" ;;
esac

saved=''
if [ -f "$upstream_file" ]; then saved=$(cat "$upstream_file"); fi
restore() {
  if [ -n "$saved" ]; then printf '%s\n' "$saved" > "$upstream_file.switch-tmp"; else : > "$upstream_file.switch-tmp"; fi
  mv -f "$upstream_file.switch-tmp" "$upstream_file"
}

# The temp name does not end in .conf: conf.d/*.conf never includes a half-written file.
printf '# Written by muva-nginx-switch: do not edit (the deploy rewrites it)\nupstream %s { server 127.0.0.1:%s; }\n' "$name" "$port" \
  > "$upstream_file.switch-tmp"
mv -f "$upstream_file.switch-tmp" "$upstream_file"

if ! out=$("${nginx[@]}" -t 2>&1); then
  restore
  die "nginx -t failed, upstream $name left as it was: $out"
fi
if ! out=$("${nginx[@]}" -s reload 2>&1); then
  restore
  "${nginx[@]}" -s reload >/dev/null 2>&1 || true
  die "nginx reload failed, upstream $name left as it was: $out"
fi
echo "nginx upstream $name -> 127.0.0.1:$port"
