# step retire (RetireOldColor): after the drain pause, deletes the old color's PM2 app, then saves PM2's list so that
# a reboot resurrects the live color only. Parameters: app_name drain_seconds. Needs: color old_color.
if [ -n "$old_color" ] && [ "$old_color" != "$color" ]; then
  if (( drain_seconds > 0 )); then sleep "$drain_seconds"; fi
  pm2 delete "$app_name-$old_color" >/dev/null 2>&1 || true
  echo "stopped $app_name-$old_color"
fi
pm2_save
