# step retire (RetireOldColor): the old color no longer takes traffic. Kept warm (keep_warm): it keeps running, so a
# rollback to it is a switch, and PM2's list is unchanged (start saved it). Otherwise, after the drain pause, its PM2
# app is deleted and the list saved, so that a reboot resurrects the live color only.
# Parameters: app_name drain_seconds keep_warm. Needs: color old_color.
if [ -n "$old_color" ] && [ "$old_color" != "$color" ]; then
  if [ -n "$keep_warm" ]; then
    echo "kept $app_name-$old_color running, without traffic: a rollback to it is a switch"
  else
    if (( drain_seconds > 0 )); then sleep "$drain_seconds"; fi
    pm2 delete "$app_name-$old_color" >/dev/null 2>&1 || true
    echo "stopped $app_name-$old_color"
    pm2_save
  fi
fi
