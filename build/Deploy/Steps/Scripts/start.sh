# step start (StartCandidate): blue/green. Starts the release as the idle color's PM2 app on that color's port and
# health-checks it there; nothing routes to it yet. On failure the candidate is deleted, the release marked failed.
# Parameters: release release_name expected_commit (empty: the manifest's) live_color_file blue_port green_port
#   app_name ecosystem_blue ecosystem_green reuse_running.
# Needs: health_check health_last health_timeout mark_failed. Produces: color port old_color (also as ::out lines).
[ -d "$release" ] || fail "release $release does not exist"
if [ -z "$expected_commit" ]; then expected_commit=$(manifest_commit "$release"); fi
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
live_color=$(cat "$live_color_file" 2>/dev/null || true)
case "$live_color" in
  blue) color=green; port=$green_port ;;
  green) color=blue; port=$blue_port ;;
  # No color is live yet (first deploy, or a process started by hand on blue's port): take a free port.
  *) live_color=''; color=blue; port=$blue_port; if port_in_use "$blue_port"; then color=green; port=$green_port; fi ;;
esac
out color "$color"
out port "$port"
out old_color "$live_color"
old_color="$live_color"
name="$app_name-$color"
# One ecosystem file per color in the release folder: a later rollback may start this release as either color.
printf '%s\n' "$ecosystem_blue" > "$release/ecosystem.blue.config.js"
printf '%s\n' "$ecosystem_green" > "$release/ecosystem.green.config.js"
start_fresh() {
  echo "starting $release as $name on port $port"
  pm2 delete "$name" >/dev/null 2>&1 || true
  if ! pm2_out=$(pm2 start "$release/ecosystem.$color.config.js" 2>&1); then
    printf '%s\n' "$pm2_out" | tail -n 20
    pm2 delete "$name" >/dev/null 2>&1 || true
    pm2_save
    mark_failed "$release_name" "pm2 start failed"
    fail "pm2 start of $name failed (see the output above)"
  fi
  # The PM2 list is saved (a reboot resurrects it) while the app starts, not after: PM2's CLI costs a Node start-up.
  pm2_save &
  pm2_save_pid=$!
  if ! health_check "$port" "$expected_commit"; then
    wait "$pm2_save_pid" || true
    pm2 logs "$name" --nostream --lines 15 2>&1 | tail -n 30 || true
    pm2 delete "$name" >/dev/null 2>&1 || true
    pm2_save
    mark_failed "$release_name" "health check: $health_last"
    fail "release $release_name failed its health check on port $port within $health_timeout s: $health_last"
  fi
  wait "$pm2_save_pid" || true
}
# A rollback: an idle color that still runs the release and answers healthy at once is kept as it is (a warm previous
# release, or the old color after a failed verification): a rollback is then a switch. Its answer on that color's port
# with this release's commit is the proof, with no PM2 call (each costs a Node start-up).
if [ -n "$reuse_running" ] && [ -n "$old_color" ] && health_check "$port" "$expected_commit" 1; then
  echo "$name still runs this release on port $port: switching back to it"
else
  start_fresh
fi
