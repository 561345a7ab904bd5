# step health-probe (HealthProbe): defines health_check <port> <expected commit> [seconds]. Polls 127.0.0.1:port +
# the health path ON THE HOST until it answers HTTP 200 with "status":"ok" and the expected commit (the full SHA or
# an abbreviation of at least 7 digits), or the deadline passes. PM2 saying "online" proves nothing; an old process
# answering with its own commit does not pass either. health_last holds the last answer.
# Parameters: health_path health_timeout. Produces: health_check health_last health_timeout.
health_last=''
health_check() {
  local url="http://127.0.0.1:$1$health_path" expected="$2" response code body reported
  local deadline=$(( SECONDS + ${3:-$health_timeout} ))
  health_last='no answer'
  while :; do
    response=$(curl -sS --max-time 3 -w '\n%{http_code}' "$url" 2>&1) || true
    code=${response##*$'\n'}
    body=${response%$'\n'*}
    # Here-strings, not pipes: a reader that stops early (grep -q) must not fail the pipeline under pipefail.
    reported=$(sed -n "$commit_sed" <<< "$body")
    if [ "$code" = 200 ] && grep -Eq '"status"[[:space:]]*:[[:space:]]*"ok"' <<< "$body" \
       && [ ${#reported} -ge 7 ] && [[ "$expected" == "$reported"* ]]; then
      echo "healthy: $url answered HTTP 200, status ok, commit $reported"
      return 0
    fi
    health_last="$url answered HTTP $code: ${body:0:300}"
    if (( SECONDS >= deadline )); then return 1; fi
    sleep 0.2
  done
}
