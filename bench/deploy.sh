#!/usr/bin/env bash
# Deploy benchmarks, all on loopback, from one command:
#   (a) requests failed during a deploy and during a rollback under steady load through Nginx:
#       ours (DeployVps / Rollback, blue/green over SSH) against the plan's in-place `pm2 restart`
#       and the rollback's time to the previous release (warm: a switch) against a bare ln -sfn + mv -T over ssh
#   (b) time of a deploy of a ~50 MB artifact to a loopback sshd host against the raw floor
#       (scp + ssh tar -x + ln -sfn of the same artifact), as ratios: an app that starts at once with drainSeconds 0
#       (goal <= 1.5x), and the defaults against floor + the app's start-up + the drain + 1 s (goal <= 1.00x)
#   (c) time from a failing health check to the old release serving again (goal < 5 s): a release that never gets
#       healthy (blue/green never sends it traffic), and one that passes the on-host check of /api/health but fails
#       the public /api/health/db after the switch (VerifyDeploy's automatic rollback)
#   (d) the real app: examples/next-app built by PackageApp (next build, standalone) and packed for two commits,
#       deployed and rolled back under the same load: failed requests (goal 0), with Next.js's real start-up
#       (BENCH_REAL_APP=0 skips it; the first build takes a minute or more)
#
#   bench/deploy.sh                 # ~3 minutes; prints a table at the end
#   BENCH_KEEP=1 bench/deploy.sh    # keep the temp folder (logs, configs) for inspection
#
# Knobs: BENCH_RATE (requests/s of the steady load, 100), BENCH_BOOT_MS (app start-up time standing in for Next.js,
# 1000), BENCH_ARTIFACT_MB (50), BENCH_RUNS (timed runs per side in (b), 3), BENCH_DRAIN_SECONDS (vps.drainSeconds,
# the engine's default when unset).
#
# It starts its own sshd, Nginx and PM2 daemon (PM2_HOME) under a temp folder, on free loopback ports, and stops
# exactly those by PID on exit. Needs: node, curl, sshd, ssh, scp, ssh-keygen, nginx, tar, npm ci (for PM2), the .NET SDK.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATE="${BENCH_RATE:-100}"
BOOT_MS="${BENCH_BOOT_MS:-1000}"
ARTIFACT_MB="${BENCH_ARTIFACT_MB:-50}"
RUNS="${BENCH_RUNS:-3}"
DRAIN_SECONDS="${BENCH_DRAIN_SECONDS:-}"
PM2="$ROOT/node_modules/.bin/pm2"
SSHD="$(command -v sshd || echo /usr/sbin/sshd)"
export NO_COLOR=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for tool in node curl ssh scp ssh-keygen nginx tar "$SSHD" "$PM2"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/deploy.sh: '$tool' is missing (npm ci; apt-get install openssh-server nginx)" >&2; exit 2; }
done

WORK="$(mktemp -d /tmp/bench-deploy.XXXXXX)"
export PM2_HOME="$WORK/pm2"
STARTED_PIDS=()

cleanup() {
  set +e
  [[ -d "$PM2_HOME" ]] && "$PM2" kill >/dev/null 2>&1
  for pid in "${STARTED_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${STARTED_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now_ms() { date +%s%3N; }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# Waits (bounded) until <url> answers 200 with <text> in the body.
wait_for() {
  local url="$1" text="$2" tries
  for tries in $(seq 1 150); do
    if curl -fsS --max-time 1 "$url" 2>/dev/null | grep -q "$text"; then return 0; fi
    sleep 0.2
  done
  echo "bench/deploy.sh: $url never answered with '$text'" >&2
  return 1
}

SSH_PORT="$(free_port)"; NGINX_PORT="$(free_port)"; PLAN_NGINX_PORT="$(free_port)"
BLUE_PORT="$(free_port)"; GREEN_PORT="$(free_port)"; PLAN_APP_PORT="$(free_port)"
BASE="$WORK/host/www"
mkdir -p "$WORK"/{ssh,nginx/tmp,host,artifacts,plan,logs} "$BASE"

# ---------------------------------------------------------------- sshd: root@127.0.0.1 with generated keys
log "sshd on 127.0.0.1:$SSH_PORT"
mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/client"
cp "$WORK/ssh/client.pub" "$WORK/ssh/authorized_keys"
cat > "$WORK/ssh/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $WORK/ssh/host_ed25519
PidFile $WORK/ssh/sshd.pid
AuthorizedKeysFile $WORK/ssh/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
MaxStartups 50
Subsystem sftp internal-sftp
EOF
"$SSHD" -D -e -f "$WORK/ssh/sshd_config" 2>"$WORK/logs/sshd.log" &
STARTED_PIDS+=("$!")
echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1-2 "$WORK/ssh/host_ed25519.pub")" > "$WORK/ssh/known_hosts"
SSH_OPTS=(-i "$WORK/ssh/client" -o IdentitiesOnly=yes -o UserKnownHostsFile="$WORK/ssh/known_hosts" -o StrictHostKeyChecking=yes -o BatchMode=yes)
for tries in $(seq 1 50); do ssh "${SSH_OPTS[@]}" -p "$SSH_PORT" root@127.0.0.1 true 2>/dev/null && break; sleep 0.2; done

# ---------------------------------------------------------------- Nginx: ours (upstream include) and the plan's
log "nginx on 127.0.0.1:$NGINX_PORT (ours) and :$PLAN_NGINX_PORT (plan)"
NGINX=(nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log")
UPSTREAM="$WORK/nginx/upstream.conf"
echo "upstream bench-app { server 127.0.0.1:$BLUE_PORT; }" > "$UPSTREAM"
cat > "$WORK/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  include $UPSTREAM;
  upstream plan-app { server 127.0.0.1:$PLAN_APP_PORT; }
  server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://bench-app; } }
  server { listen 127.0.0.1:$PLAN_NGINX_PORT; location / { proxy_pass http://plan-app; } }
}
EOF
"${NGINX[@]}" &
STARTED_PIDS+=("$!")

# ---------------------------------------------------------------- the app, artifacts and the suite's configuration
COMMIT_A="$(printf 'a%.0s' {1..40})"; COMMIT_B="$(printf 'b%.0s' {1..40})"
COMMIT_BIG="$(printf 'c%.0s' {1..40})"; COMMIT_FAST="$(printf 'f%.0s' {1..40})"; COMMIT_BAD="$(printf 'd%.0s' {1..40})"; COMMIT_DB_BAD="$(printf 'e%.0s' {1..40})"

mkdir -p "$WORK/src-big/payload"
for src in small big bad db-bad; do
  mkdir -p "$WORK/src-$src"
  cp "$ROOT/bench/deploy-app.js" "$WORK/src-$src/server.js"
  echo "$BOOT_MS" > "$WORK/src-$src/boot-ms"
done
touch "$WORK/src-bad/FAIL_HEALTH" "$WORK/src-db-bad/FAIL_DB"
# ~ARTIFACT_MB of incompressible data in 2,000-odd files: the shape of a standalone node_modules, not one blob.
head -c "${ARTIFACT_MB}M" /dev/urandom | split -b 25k -a 4 - "$WORK/src-big/payload/f"

write_config() { # <file> <app folder> <pack json> [extra vps fields]
  cat > "$1" <<EOF
{
  "project": {
    "name": "bench-app",
    "app": { "path": "$2", "buildCommand": "true", "pack": $3, "entry": "server.js" }
  },
  "environments": {
    "bench": {
      "description": "Loopback benchmark host (bench/deploy.sh).",
      "secretPrefix": "BENCH",
      "deploys": true,
      "vps": {
        "transport": "ssh",
        "hosts": ["127.0.0.1"],
        "sshPort": $SSH_PORT,
        "user": "root",
        "basePath": "$BASE",
        "pm2AppName": "bench-app",
        "pm2Command": "$PM2",
        "pm2Home": "$PM2_HOME",
        "strategy": "bluegreen",
        "ports": [$BLUE_PORT, $GREEN_PORT],
        "instances": 1,
        "keepReleases": 3,
        "nginxUpstreamFile": "$UPSTREAM",
        "nginxReloadCommand": "${NGINX[*]} -s reload",
        "healthPath": "/api/health",
        "healthTimeoutSeconds": 10${DRAIN_SECONDS:+,
        \"drainSeconds\": $DRAIN_SECONDS}${4:+,
        $4}
      },
      "publicUrl": "http://127.0.0.1:$NGINX_PORT",
      "healthUrls": ["http://127.0.0.1:$NGINX_PORT/api/health", "http://127.0.0.1:$NGINX_PORT/api/health/db"]
    }
  }
}
EOF
}
write_config "$WORK/config-small.json" "$WORK/src-small" '{ "server.js": "server.js", "boot-ms": "boot-ms" }'
write_config "$WORK/config-big.json" "$WORK/src-big" '{ "server.js": "server.js", "boot-ms": "boot-ms", "payload": "payload" }'
# The same payload, an app that starts at once and no drain pause: the goal of <= 1.5x the floor.
mkdir -p "$WORK/src-fast" && cp -al "$WORK/src-big/payload" "$WORK/src-fast/payload" && cp "$ROOT/bench/deploy-app.js" "$WORK/src-fast/server.js"
echo 0 > "$WORK/src-fast/boot-ms"
write_config "$WORK/config-fast.json" "$WORK/src-fast" '{ "server.js": "server.js", "boot-ms": "boot-ms", "payload": "payload" }' '"drainSeconds": 0'
write_config "$WORK/config-bad.json" "$WORK/src-bad" '{ "server.js": "server.js", "boot-ms": "boot-ms", "FAIL_HEALTH": "FAIL_HEALTH" }'
write_config "$WORK/config-db-bad.json" "$WORK/src-db-bad" '{ "server.js": "server.js", "boot-ms": "boot-ms", "FAIL_DB": "FAIL_DB" }'

export BENCH_VPS_SSH_KEY; BENCH_VPS_SSH_KEY="$(cat "$WORK/ssh/client")"
export BENCH_VPS_HOST_KEY; BENCH_VPS_HOST_KEY="$(ssh-keygen -lf "$WORK/ssh/host_ed25519.pub" | awk '{print $2}')"

# Prefixes each line with the epoch milliseconds it arrived at (to split a deploy into phases).
stamp() { node -e 'require("readline").createInterface({ input: process.stdin }).on("line", l => process.stdout.write(Date.now() + " " + l + "\n"))'; }

suite() { # <config> <log name> <args...>: the release suite, output (time-stamped) to logs/<name>.log
  local config="$1" name="$2"; shift 2
  "$ROOT/build.sh" --config="$config" --env=bench "$@" 2>&1 | stamp >"$WORK/logs/$name.log"
}

pack() { # <config> <commit> -> artifact path
  suite "$1" "pack-$2" --target=PackageApp --skip-build --commit="$2" --output="$WORK/artifacts" \
    || { echo "PackageApp failed:" >&2; tail -20 "$WORK/logs/pack-$2.log" >&2; exit 1; }
  ls "$WORK/artifacts"/bench-app-bench-"${2:0:7}".tar.gz   # PackageApp names it <app>-<env>-<sha>
}

log "building the suite and packing the artifacts (${ARTIFACT_MB} MB payload)"
ARTIFACT_A="$(pack "$WORK/config-small.json" "$COMMIT_A")"
ARTIFACT_B="$(pack "$WORK/config-small.json" "$COMMIT_B")"
ARTIFACT_BIG="$(pack "$WORK/config-big.json" "$COMMIT_BIG")"
ARTIFACT_FAST="$(pack "$WORK/config-fast.json" "$COMMIT_FAST")"
ARTIFACT_BAD="$(pack "$WORK/config-bad.json" "$COMMIT_BAD")"
ARTIFACT_DB_BAD="$(pack "$WORK/config-db-bad.json" "$COMMIT_DB_BAD")"
BIG_BYTES="$(stat -c %s "$ARTIFACT_BIG")"

# Runs <command...> under steady load against <url>; prints "<failed> <total> <retried resets> <duration ms> <exit code>".
under_load() {
  local url="$1" name="$2"; shift 2
  node "$ROOT/bench/deploy-load.js" --url="$url" --rate="$RATE" --max-seconds=180 --events="$WORK/logs/$name.events" >"$WORK/logs/$name.load.json" &
  local load_pid=$! start end code=0
  STARTED_PIDS+=("$load_pid")
  sleep 1
  start="$(now_ms)"
  echo "$start" > "$WORK/logs/$name.start"
  "$@" || code=$?
  end="$(now_ms)"
  sleep 1
  kill -TERM "$load_pid"; wait "$load_pid" || true
  node -e "const r=require('$WORK/logs/$name.load.json'); console.log(r.failed, r.total, r.retriedResets)" | tr '\n' ' '
  echo "$((end - start)) $code"
}

deploy_ours() { suite "$1" "$2" --target=DeployVps --artifact="$3"; }

# ---------------------------------------------------------------- (a) failed requests under load
log "first deploy (not measured): release A on blue"
deploy_ours "$WORK/config-small.json" deploy-first "$ARTIFACT_A" \
  || { echo "DeployVps failed; see below" >&2; tail -30 "$WORK/logs/deploy-first.log" >&2; exit 1; }
wait_for "http://127.0.0.1:$NGINX_PORT/api/health" "$COMMIT_A"

log "the plan's app: pm2 start in place (fork mode) behind Nginx"
cp "$ROOT/bench/deploy-app.js" "$WORK/plan/server.js"
( cd "$WORK/plan" && PORT="$PLAN_APP_PORT" BOOT_MS="$BOOT_MS" COMMIT=plan "$PM2" start server.js --name plan-inplace >"$WORK/logs/plan-start.log" 2>&1 )
wait_for "http://127.0.0.1:$PLAN_NGINX_PORT/api/health" '"status":"ok"'

plan_restart() { ( cd "$WORK/plan" && "$PM2" restart plan-inplace >>"$WORK/logs/plan-restart.log" 2>&1 ); wait_for "http://127.0.0.1:$PLAN_NGINX_PORT/api/health" '"status":"ok"'; }

log "(a) plan: pm2 restart under load (stands for both its deploy and its rollback: each ends in a restart)"
read -r PLAN_DEPLOY_FAILED PLAN_DEPLOY_TOTAL PLAN_DEPLOY_RETRIED PLAN_DEPLOY_MS _ < <(under_load "http://127.0.0.1:$PLAN_NGINX_PORT/" plan-deploy plan_restart)
read -r PLAN_ROLLBACK_FAILED PLAN_ROLLBACK_TOTAL PLAN_ROLLBACK_RETRIED PLAN_ROLLBACK_MS _ < <(under_load "http://127.0.0.1:$PLAN_NGINX_PORT/" plan-rollback plan_restart)

log "(a) ours: DeployVps A -> B under load"
read -r OURS_DEPLOY_FAILED OURS_DEPLOY_TOTAL OURS_DEPLOY_RETRIED OURS_DEPLOY_MS OURS_DEPLOY_CODE < <(under_load "http://127.0.0.1:$NGINX_PORT/" ours-deploy deploy_ours "$WORK/config-small.json" ours-deploy "$ARTIFACT_B")
log "(a) ours: Rollback B -> A under load"
read -r OURS_ROLLBACK_FAILED OURS_ROLLBACK_TOTAL OURS_ROLLBACK_RETRIED OURS_ROLLBACK_MS OURS_ROLLBACK_CODE < <(under_load "http://127.0.0.1:$NGINX_PORT/" ours-rollback suite "$WORK/config-small.json" ours-rollback --target=Rollback)
# When the previous release (A) answered again, from the load's own record: since the command started, and since the
# rollback's switch began (its "rolling back from" line, once the lock is taken).
ROLLBACK_START="$(cat "$WORK/logs/ours-rollback.start")"
ROLLBACK_SERVED_AT="$(awk -v t="$ROLLBACK_START" -v a="$COMMIT_A" '$1 >= t && $2 == 200 && $3 == a { print $1; exit }' "$WORK/logs/ours-rollback.events")"
ROLLBACK_BEGAN_AT="$(awk '/rolling back from/ { print $1; exit }' "$WORK/logs/ours-rollback.log")"
ROLLBACK_WARM="$(grep -q 'still runs this release' "$WORK/logs/ours-rollback.log" && echo "warm: a switch" || echo "cold: started again")"

# ---------------------------------------------------------------- (b) 50 MB deploy against the raw floor
raw_floor() { # scp + one ssh: mkdir, tar -x, ln -sfn (what a hand-written deploy does at the very least)
  local name="floor-$1"
  scp -q "${SSH_OPTS[@]}" -P "$SSH_PORT" "$ARTIFACT_BIG" "root@127.0.0.1:$WORK/host/floor.tar.gz"
  ssh "${SSH_OPTS[@]}" -p "$SSH_PORT" root@127.0.0.1 \
    "set -e; mkdir -p $WORK/host/floor/$name && tar -xzf $WORK/host/floor.tar.gz -C $WORK/host/floor/$name && ln -sfn $WORK/host/floor/$name $WORK/host/floor/current"
}

log "(b) ${RUNS} timed deploys of the $((BIG_BYTES / 1048576)) MB artifact, ours (defaults; instant app and no drain) and the raw floor, alternating"
OURS_TIMES=(); FAST_TIMES=(); FLOOR_TIMES=(); TO_UNPACKED_TIMES=()
# Milliseconds from <start> to the first line of <log> matching <pattern>.
at() { awk -v start="$2" -v pattern="$3" '$0 ~ pattern { print $1 - start; exit }' "$1"; }
for run in $(seq 1 "$RUNS"); do
  start="$(now_ms)"; raw_floor "$run"; FLOOR_TIMES+=("$(( $(now_ms) - start ))")
  start="$(now_ms)"
  deploy_ours "$WORK/config-big.json" "ours-big-$run" "$ARTIFACT_BIG" || { tail -30 "$WORK/logs/ours-big-$run.log" >&2; exit 1; }
  end="$(now_ms)"
  OURS_TIMES+=("$((end - start))")
  big_log="$WORK/logs/ours-big-$run.log"
  # Phases of this run, from the time-stamped output (cumulative ms since the command started).
  PHASE_TASK="$(at "$big_log" "$start" '^[0-9]+ DeployVps *$')"
  PHASE_FIRST="$(at "$big_log" "$start" 'Deploying ')"; PHASE_UPLOADED="$(at "$big_log" "$start" 'upload: 100%')"
  PHASE_UNPACKED="$(at "$big_log" "$start" 'release: unpacked')"; PHASE_HEALTHY="$(at "$big_log" "$start" 'release: healthy: ')"
  PHASE_LIVE="$(at "$big_log" "$start" '] live: ')"; PHASE_END="$((end - start))"
  TO_UNPACKED_TIMES+=("$PHASE_UNPACKED")
  start="$(now_ms)"
  deploy_ours "$WORK/config-fast.json" "ours-fast-$run" "$ARTIFACT_FAST" || { tail -30 "$WORK/logs/ours-fast-$run.log" >&2; exit 1; }
  FAST_TIMES+=("$(( $(now_ms) - start ))")
  fast_log="$WORK/logs/ours-fast-$run.log"
  rm -rf "$WORK/host/floor"
done
OURS_FAST_MS="$(printf '%s\n' "${FAST_TIMES[@]}" | median)"
OURS_BIG_MS="$(printf '%s\n' "${OURS_TIMES[@]}" | median)"
OURS_TO_UNPACKED_MS="$(printf '%s\n' "${TO_UNPACKED_TIMES[@]}" | median)"
FLOOR_MS="$(printf '%s\n' "${FLOOR_TIMES[@]}" | median)"
# Best of N (the machine is shared: the least disturbed run of each side).
best() { sort -n | head -n 1; }
OURS_FAST_BEST_MS="$(printf '%s\n' "${FAST_TIMES[@]}" | best)"
OURS_BIG_BEST_MS="$(printf '%s\n' "${OURS_TIMES[@]}" | best)"
FLOOR_BEST_MS="$(printf '%s\n' "${FLOOR_TIMES[@]}" | best)"
# One ssh command (connect, authenticate, start the login user's shell): the floor pays it once (+ scp's connection),
# ours once (one shell for lock, upload and release). Root's .bashrc here runs pyenv init, which dominates it.
SSH_TIMES=()
for run in 1 2 3; do start="$(now_ms)"; ssh "${SSH_OPTS[@]}" -p "$SSH_PORT" root@127.0.0.1 true; SSH_TIMES+=("$(( $(now_ms) - start ))"); done
SSH_COMMAND_MS="$(printf '%s\n' "${SSH_TIMES[@]}" | median)"
# Time of an empty suite run (process start, configuration): part of ours, not of the floor.
start="$(now_ms)"; "$ROOT/build.sh" --config="$WORK/config-small.json" --env=bench --description >/dev/null 2>&1 || true; SUITE_START_MS="$(( $(now_ms) - start ))"
# The rollback's peer: a bare switch of the symlink over one ssh command (ln -sfn + mv -T), as a hand-written rollback.
PEER_TIMES=()
mkdir -p "$WORK/host/peer/a" "$WORK/host/peer/b"
for run in 1 2 3; do
  start="$(now_ms)"
  ssh "${SSH_OPTS[@]}" -p "$SSH_PORT" root@127.0.0.1 "ln -sfn $WORK/host/peer/a $WORK/host/peer/.tmp && mv -T $WORK/host/peer/.tmp $WORK/host/peer/current"
  PEER_TIMES+=("$(( $(now_ms) - start ))")
done
PEER_SWITCH_MS="$(printf '%s\n' "${PEER_TIMES[@]}" | median)"

# ---------------------------------------------------------------- (c) failing health check -> old release serving
log "(c1) a release that never becomes healthy, deployed under load: traffic must never leave the old release"
read -r BAD_FAILED BAD_TOTAL BAD_RETRIED BAD_MS BAD_CODE < <(under_load "http://127.0.0.1:$NGINX_PORT/" ours-bad deploy_ours "$WORK/config-bad.json" ours-bad "$ARTIFACT_BAD")
BAD_COMMITS="$(awk '{print $3}' "$WORK/logs/ours-bad.events" | sort -u | tr '\n' ' ')"

log "(c2) a release that passes its on-host check and fails the public /api/health/db: VerifyDeploy rolls back by itself"
node "$ROOT/bench/deploy-load.js" --url="http://127.0.0.1:$NGINX_PORT/" --rate="$RATE" --max-seconds=120 --events="$WORK/logs/db-bad.events" >"$WORK/logs/db-bad.load.json" &
LOAD_PID=$!; STARTED_PIDS+=("$LOAD_PID")
sleep 1
start="$(now_ms)"
VERIFY_CODE=0
suite "$WORK/config-db-bad.json" db-bad --target=VerifyDeploy --artifact="$ARTIFACT_DB_BAD" --timeout=3 || VERIFY_CODE=$?
VERIFY_MS="$(( $(now_ms) - start ))"
sleep 1
kill -TERM "$LOAD_PID"; wait "$LOAD_PID" || true
# The moment the public check gave up (HealthCheck prints each failing URL then), and the first answer from another
# commit than the bad one after it.
HEALTH_FAILED_AT="$(awk '/NOT healthy/ { print $1; exit }' "$WORK/logs/db-bad.log")"
BACK_AT="$(awk -v t="${HEALTH_FAILED_AT:-0}" -v bad="$COMMIT_DB_BAD" '$1 >= t && $2 == 200 && $3 != bad { print $1; exit }' "$WORK/logs/db-bad.events")"
SERVED_BAD="$(grep -c " $COMMIT_DB_BAD" "$WORK/logs/db-bad.events" || true)"
DB_BAD_FAILED="$(node -e "console.log(require('$WORK/logs/db-bad.load.json').failed)")"
ROLLED_BACK="$(grep -q 'Rolled back' "$WORK/logs/db-bad.log" && echo yes || echo no)"

# ---------------------------------------------------------------- (d) the real Next.js app under load
REAL_APP="${BENCH_REAL_APP:-1}"
if [[ "$REAL_APP" == 1 ]]; then
  log "(d) building examples/next-app with PackageApp (next build) and packing it for two commits"
  COMMIT_NEXT_A="$(printf '1%.0s' {1..40})"; COMMIT_NEXT_B="$(printf '2%.0s' {1..40})"
  # The bench environment with the local rehearsal's app section (examples/next-app) and Next.js's start-up needs.
  node -e '
    const fs = require("fs");
    const [small, envs, out, root] = process.argv.slice(1);
    const config = JSON.parse(fs.readFileSync(small, "utf8"));
    const app = JSON.parse(fs.readFileSync(envs, "utf8")).environments.local.app;
    config.project.app = { ...app, path: root + "/" + app.path };
    Object.assign(config.environments.bench.vps, { waitReady: false, healthTimeoutSeconds: 90, listenTimeoutSeconds: 90 });
    config.environments.bench.healthUrls = [config.environments.bench.publicUrl + "/api/health"];
    fs.writeFileSync(out, JSON.stringify(config, null, 2));
  ' "$WORK/config-small.json" "$ROOT/build/environments.json" "$WORK/config-next.json" "$ROOT"
  start="$(now_ms)"
  suite "$WORK/config-next.json" pack-next-a --target=PackageApp --commit="$COMMIT_NEXT_A" --output="$WORK/artifacts" \
    || { echo "PackageApp of examples/next-app failed:" >&2; tail -30 "$WORK/logs/pack-next-a.log" >&2; exit 1; }
  NEXT_BUILD_MS="$(( $(now_ms) - start ))"
  # The same build for a second commit: the health route reads the commit from manifest.json at run time.
  suite "$WORK/config-next.json" pack-next-b --target=PackageApp --skip-build --commit="$COMMIT_NEXT_B" --output="$WORK/artifacts" \
    || { tail -30 "$WORK/logs/pack-next-b.log" >&2; exit 1; }
  ARTIFACT_NEXT_A="$(ls "$WORK/artifacts"/bench-app-bench-"${COMMIT_NEXT_A:0:7}".tar.gz)"
  ARTIFACT_NEXT_B="$(ls "$WORK/artifacts"/bench-app-bench-"${COMMIT_NEXT_B:0:7}".tar.gz)"
  log "(d) first deploy of the real app (not measured)"
  deploy_ours "$WORK/config-next.json" next-first "$ARTIFACT_NEXT_A" || { tail -30 "$WORK/logs/next-first.log" >&2; exit 1; }
  wait_for "http://127.0.0.1:$NGINX_PORT/api/health" "$COMMIT_NEXT_A"
  log "(d) DeployVps of the real app under load, then Rollback under load"
  read -r NEXT_DEPLOY_FAILED NEXT_DEPLOY_TOTAL NEXT_DEPLOY_RETRIED NEXT_DEPLOY_MS NEXT_DEPLOY_CODE < <(under_load "http://127.0.0.1:$NGINX_PORT/" next-deploy deploy_ours "$WORK/config-next.json" next-deploy "$ARTIFACT_NEXT_B")
  read -r NEXT_ROLLBACK_FAILED NEXT_ROLLBACK_TOTAL NEXT_ROLLBACK_RETRIED NEXT_ROLLBACK_MS NEXT_ROLLBACK_CODE < <(under_load "http://127.0.0.1:$NGINX_PORT/" next-rollback suite "$WORK/config-next.json" next-rollback --target=Rollback)
  NEXT_START_LINE="$(awk '/release: starting/ { s = $1 } /release: healthy: / { if (s) { print $1 - s; exit } }' "$WORK/logs/next-deploy.log")"
fi

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
echo
echo "Deploy benchmarks ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, steady load ${RATE} req/s through Nginx, app start-up ${BOOT_MS} ms, drainSeconds ${DRAIN_SECONDS:-default})"
echo
echo "(a) failed requests under load (failed / total)    ours (blue/green)            plan (in-place pm2 restart)"
printf '    deploy                                        %-28s %s\n' "$OURS_DEPLOY_FAILED / $OURS_DEPLOY_TOTAL (exit $OURS_DEPLOY_CODE)" "$PLAN_DEPLOY_FAILED / $PLAN_DEPLOY_TOTAL"
printf '    rollback                                      %-28s %s\n' "$OURS_ROLLBACK_FAILED / $OURS_ROLLBACK_TOTAL (exit $OURS_ROLLBACK_CODE)" "$PLAN_ROLLBACK_FAILED / $PLAN_ROLLBACK_TOTAL"
printf '    resets of reused keep-alive connections, retried once as a browser does: ours %s + %s, plan %s + %s\n' \
  "$OURS_DEPLOY_RETRIED" "$OURS_ROLLBACK_RETRIED" "$PLAN_DEPLOY_RETRIED" "$PLAN_ROLLBACK_RETRIED"
printf '    duration                                      deploy %s s, rollback %s s   restart+ready %s s, %s s\n' \
  "$(seconds "$OURS_DEPLOY_MS")" "$(seconds "$OURS_ROLLBACK_MS")" "$(seconds "$PLAN_DEPLOY_MS")" "$(seconds "$PLAN_ROLLBACK_MS")"
if [[ -n "$ROLLBACK_SERVED_AT" && -n "$ROLLBACK_BEGAN_AT" ]]; then
  printf '    rollback to the previous release (%s)   serving it %s s after the command started, %s s after its switch began\n' \
    "$ROLLBACK_WARM" "$(seconds "$((ROLLBACK_SERVED_AT - ROLLBACK_START))")" "$(seconds "$((ROLLBACK_SERVED_AT - ROLLBACK_BEGAN_AT))")"
  printf '    peer: a bare ln -sfn + mv -T over one ssh     %s s   ratio ours (switch) / peer %s, ours (whole command) / peer %s   (goal <= 1 s)\n' \
    "$(seconds "$PEER_SWITCH_MS")" "$(ratio "$((ROLLBACK_SERVED_AT - ROLLBACK_BEGAN_AT))" "$PEER_SWITCH_MS")" "$(ratio "$((ROLLBACK_SERVED_AT - ROLLBACK_START))" "$PEER_SWITCH_MS")"
fi
echo
echo "(b) deploy of a $((BIG_BYTES / 1048576)) MB artifact to a loopback sshd host (median of $RUNS)"
printf '    ours with defaults (DeployVps, whole run)     %s s   runs: %s ms\n' "$(seconds "$OURS_BIG_MS")" "${OURS_TIMES[*]}"
printf '    raw floor (scp + ssh tar -x + ln -sfn)        %s s   runs: %s ms\n' "$(seconds "$FLOOR_MS")" "${FLOOR_TIMES[*]}"
printf '    ours, app starting at once, drainSeconds 0    %s s   runs: %s ms\n' "$(seconds "$OURS_FAST_MS")" "${FAST_TIMES[*]}"
printf '    ratio ours (instant app, no drain) / floor    %s   (goal <= 1.5x)\n' "$(ratio "$OURS_FAST_MS" "$FLOOR_MS")"
# With defaults the goal allows the app's own start-up (BENCH_BOOT_MS) and the drain on top of the floor, plus 1 s.
DEFAULT_DRAIN_S="${DRAIN_SECONDS:-2}"
BUDGET_MS="$(( FLOOR_MS + BOOT_MS + DEFAULT_DRAIN_S * 1000 + 1000 ))"
printf '    ours with defaults against its budget         %s s of floor + start-up %s s + drain %s s + 1 s = %s s   ratio %s (goal <= 1.00x)\n' \
  "$(seconds "$OURS_BIG_MS")" "$(seconds "$BOOT_MS")" "$DEFAULT_DRAIN_S" "$(seconds "$BUDGET_MS")" "$(ratio "$OURS_BIG_MS" "$BUDGET_MS")"
printf '    ratio ours (defaults) / floor                 %s\n' "$(ratio "$OURS_BIG_MS" "$FLOOR_MS")"
BUDGET_BEST_MS="$(( FLOOR_BEST_MS + BOOT_MS + DEFAULT_DRAIN_S * 1000 + 1000 ))"
printf '    best of %s: floor %s s, ours instant %s s (%s, goal <= 1.5x), ours defaults %s s against %s s (%s, goal <= 1.00x)\n' \
  "$RUNS" "$(seconds "$FLOOR_BEST_MS")" "$(seconds "$OURS_FAST_BEST_MS")" "$(ratio "$OURS_FAST_BEST_MS" "$FLOOR_BEST_MS")" \
  "$(seconds "$OURS_BIG_BEST_MS")" "$(seconds "$BUDGET_BEST_MS")" "$(ratio "$OURS_BIG_BEST_MS" "$BUDGET_BEST_MS")"
printf '    ours up to "unpacked" (what the floor does)   %s s   ratio %s\n' "$(seconds "$OURS_TO_UNPACKED_MS")" "$(ratio "$OURS_TO_UNPACKED_MS" "$FLOOR_MS")"
# Seconds between two phase marks, or n/a when the suite's output no longer has one of them.
span() { if [[ -n "$1" && -n "$2" ]]; then seconds "$(($2 - $1))"; else echo n/a; fi; }
printf '    phases of the last run (s)                    suite start %s | artifact checks %s | connect+lock+upload %s | checksum+unpack+links %s | start+health %s | switch+retire+prune %s | exit %s\n' \
  "$(span 0 "$PHASE_TASK")" "$(span "$PHASE_TASK" "$PHASE_FIRST")" "$(span "$PHASE_FIRST" "$PHASE_UPLOADED")" "$(span "$PHASE_UPLOADED" "$PHASE_UNPACKED")" \
  "$(span "$PHASE_UNPACKED" "$PHASE_HEALTHY")" "$(span "$PHASE_HEALTHY" "$PHASE_LIVE")" "$(span "$PHASE_LIVE" "$PHASE_END")"
# The suite's own per-phase timing lines (HostSession): where each remote phase's time went, step by step.
remote_phases() { grep -oE '\] (lock|release): [0-9.]+ s.*' "$1" | sed 's/^\] //' | paste -sd ';' | sed 's/;/; /g'; }
printf '    remote phases, last run with defaults         %s\n' "$(remote_phases "$big_log")"
printf '    remote phases, last instant run               %s\n' "$(remote_phases "$fast_log")"
printf '    suite start-up alone (an empty run)           %s s\n' "$(seconds "$SUITE_START_MS")"
printf '    one "ssh host true" on this machine           %s s   (the floor runs 1 + scp; a deploy of ours 1 connection, 1 shell for lock, upload and release)\n' "$(seconds "$SSH_COMMAND_MS")"
echo
echo "(c) failing health check -> old release serving again (goal < 5 s)"
printf '    never-healthy release deployed under load     exit %s after %s s, %s / %s requests failed, commits served: %s\n' \
  "$BAD_CODE" "$(seconds "$BAD_MS")" "$BAD_FAILED" "$BAD_TOTAL" "$BAD_COMMITS"
if [[ -n "$HEALTH_FAILED_AT" && -n "$BACK_AT" && "$SERVED_BAD" -gt 0 ]]; then
  printf '    bad db after the switch: check fail -> old    %s s (VerifyDeploy exit %s after %s s, automatic rollback: %s; %s requests failed)\n' \
    "$(seconds "$((BACK_AT - HEALTH_FAILED_AT))")" "$VERIFY_CODE" "$(seconds "$VERIFY_MS")" "$ROLLED_BACK" "$DB_BAD_FAILED"
else
  printf '    bad db after the switch: not measured (VerifyDeploy exit %s, check failed at: %s, bad release served: %s, old back at: %s): see %s\n' \
    "$VERIFY_CODE" "${HEALTH_FAILED_AT:-never}" "$SERVED_BAD" "${BACK_AT:-never}" "$WORK/logs"
fi
if [[ "$REAL_APP" == 1 ]]; then
  echo
  echo "(d) the real app (examples/next-app, next build + output: 'standalone'), same load (failed / total; goal 0)"
  printf '    deploy                                        %s (exit %s) in %s s; start-up to healthy on the host %s s\n' \
    "$NEXT_DEPLOY_FAILED / $NEXT_DEPLOY_TOTAL" "$NEXT_DEPLOY_CODE" "$(seconds "$NEXT_DEPLOY_MS")" "$(seconds "${NEXT_START_LINE:-0}")"
  printf '    rollback                                      %s (exit %s) in %s s\n' "$NEXT_ROLLBACK_FAILED / $NEXT_ROLLBACK_TOTAL" "$NEXT_ROLLBACK_CODE" "$(seconds "$NEXT_ROLLBACK_MS")"
  printf '    PackageApp with next build                    %s s\n' "$(seconds "$NEXT_BUILD_MS")"
fi
