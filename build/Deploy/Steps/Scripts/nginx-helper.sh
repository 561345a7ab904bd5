# step nginx (SwitchNginx) with a least-privilege helper (build/Deploy/nginx-switch.sh, allowed by one sudoers line):
# it writes the include from its template for one of its configured ports, runs nginx -t and reloads, or puts it back.
# Parameters: app_name nginx_switch_command; nginx_switch (a function running that command). Needs: color port.
if ! switch_out=$( { nginx_switch "$app_name" "$port" ; } 2>&1 ); then
  # The healthy candidate will not get traffic: stop it (the old color keeps serving).
  pm2 delete "$app_name-$color" >/dev/null 2>&1 || true
  fail "nginx switch failed (candidate stopped, traffic unchanged): $nginx_switch_command $app_name $port: $switch_out"
fi
echo "$switch_out"
