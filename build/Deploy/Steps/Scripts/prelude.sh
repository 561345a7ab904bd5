# The prelude of every remote script (RemoteScript): the marker lines the deploy reads back and the PM2 wrapper.
# Set before it: step_marker out_marker error_marker alive_marker commit_sed pm2_home pm2_command.
step() { printf '%s%s\n' "$step_marker" "$1"; }
out() { printf '%s%s=%s\n' "$out_marker" "$1" "$2"; }
fail() { printf '%s%s\n' "$error_marker" "$*" >&2; exit 1; }
# fail_with <exit code> <message>: a failure the deploy tells apart by its code (the lock is held).
fail_with() { local code=$1; shift; printf '%s%s\n' "$error_marker" "$*" >&2; exit "$code"; }
# A line written only to find out whether the client is still there (a closed connection raises SIGPIPE).
alive() { printf '%s\n' "$alive_marker"; }
# The first "commit": "<sha>" in a release's manifest.json (sed quits there: no pipe to head).
manifest_commit() { sed -n "$commit_sed" "$1/manifest.json"; }
# PM2 gets no environment but what it needs to run: its CLI hands its own environment to every app it starts, and
# its daemon (started by the first CLI call) to every cluster worker, and `pm2 save` writes both into dump.pm2.
# Whatever the deploying shell holds (other environments' secrets) stays out.
pm2() {
  env -i PATH="$PATH" HOME="${HOME:-/}" USER="${USER:-$(id -un)}" LOGNAME="${LOGNAME:-$(id -un)}" \
    LANG="${LANG:-C.UTF-8}" PM2_HOME="$pm2_home" "$pm2_command" "$@"
}
# The dump holds the apps' environment (shared/.env): owner-only, like shared/.env itself.
pm2_save() {
  pm2 save --force >/dev/null 2>&1 || pm2 save >/dev/null 2>&1 || true
  chmod 700 "$pm2_home" 2>/dev/null || true
  chmod 600 "$pm2_home"/dump.pm2* 2>/dev/null || true
}
