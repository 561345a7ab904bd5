// Written by DeployVps. Start with: pm2 start <this file>
'use strict';
const fs = require('fs');
const path = require('path');

// The deploy replaces the next line with this app's values (Pm2Ecosystem); the rest is the same for every app.
const app = { name: 'app', cwd: '.', entry: 'server.js', port: 3000, instances: 1, waitReady: false, listenTimeoutMs: 30000, sharedEnv: '.env' };

// KEY=value lines of the shared .env (PM2 passes them to every worker).
function readEnv(file) {
  const env = {};
  let text = '';
  try { text = fs.readFileSync(file, 'utf8'); } catch { return env; }
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2];
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    env[m[1]] = value;
  }
  return env;
}

const cwd = app.cwd;
let commit = '';
try { commit = JSON.parse(fs.readFileSync(path.join(cwd, 'manifest.json'), 'utf8')).commit || ''; } catch {}

module.exports = {
  apps: [{
    name: app.name,
    cwd,
    script: path.join(cwd, app.entry),
    exec_mode: 'cluster',
    instances: app.instances,
    wait_ready: app.waitReady,
    listen_timeout: app.listenTimeoutMs,
    kill_timeout: 5000,
    max_restarts: 10,
    env: Object.assign(readEnv(app.sharedEnv), {
      NODE_ENV: 'production',
      PORT: String(app.port),
      HOSTNAME: '127.0.0.1',
      RELEASE_COMMIT: commit,
    }),
  }],
};
