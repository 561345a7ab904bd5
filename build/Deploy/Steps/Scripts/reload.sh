# step reload (ReloadInPlace): points current at the release, `pm2 startOrReload`s the one cluster app (whose paths go
# through current) and health-checks it. On failure current goes back to the previous release (if any) and PM2
# reloads again; the release is marked failed and kept.
# Parameters: release release_name expected_commit (empty: the manifest's) ecosystem ecosystem_file port
#   current_link current_tmp went_live_marker previous_release previous_release_dir.
# Needs: health_check health_last mark_failed. Produces: port (as an ::out line).
if [ -z "$expected_commit" ]; then expected_commit=$(manifest_commit "$release"); fi
printf '%s\n' "$ecosystem" > "$ecosystem_file"
point_current() { ln -sfn "$1" "$current_tmp" && mv -T "$current_tmp" "$current_link"; }
point_current "$release"
out port "$port"
if pm2_out=$(pm2 startOrReload "$ecosystem_file" --update-env 2>&1) && health_check "$port" "$expected_commit"; then
  touch "$release/$went_live_marker"
  pm2_save
else
  reason="${health_last:-pm2 startOrReload failed: $pm2_out}"
  mark_failed "$release_name" "$reason"
  if [ -n "$previous_release" ]; then
    point_current "$previous_release_dir"
    pm2 startOrReload "$ecosystem_file" --update-env >/dev/null 2>&1 || true
    echo "current points back to $previous_release"
  fi
  fail "release $release_name failed its health check on port $port: $reason"
fi
