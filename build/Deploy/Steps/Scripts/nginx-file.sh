# step nginx (SwitchNginx) writing the upstream include itself: rewrites it to the healthy candidate's port and
# reloads. If the reload fails, the previous include is put back (and reloaded) and the script fails before
# current moves. Parameters: app_name upstream_file release_name; nginx_reload (a function). Needs: color port.
upstream_saved=$(cat "$upstream_file" 2>/dev/null || true)
write_upstream() {
  # Atomic rename when the folder is writable; otherwise rewrite in place (a deploy user often owns only the file in
  # /etc/nginx/conf.d). The temp name does not end in .conf, so conf.d/*.conf never includes it.
  if [ -w "$(dirname "$upstream_file")" ]; then
    printf '%s\n' "$1" > "$upstream_file.deploy-tmp" && mv -f "$upstream_file.deploy-tmp" "$upstream_file"
  else
    printf '%s\n' "$1" > "$upstream_file"
  fi
}
stop_candidate() { pm2 delete "$app_name-$color" >/dev/null 2>&1 || true; }
if ! write_out=$(write_upstream "# Written by DeployVps: release $release_name
upstream $app_name { server 127.0.0.1:$port; }" 2>&1); then
  stop_candidate
  fail "cannot write the nginx upstream $upstream_file (candidate stopped, traffic unchanged): $write_out"
fi
if ! reload_out=$( { nginx_reload ; } 2>&1 ); then
  write_upstream "$upstream_saved" || true
  { nginx_reload ; } >/dev/null 2>&1 || true
  stop_candidate
  fail "nginx reload failed (upstream restored, candidate stopped): $reload_out"
fi
echo "nginx upstream $app_name -> 127.0.0.1:$port"
