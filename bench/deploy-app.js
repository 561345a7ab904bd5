// The app the deploy benchmark ships: the same health contract as the Next.js routes (docs/health-routes.md).
//   PORT          port to listen on (127.0.0.1)
//   BOOT_MS       delay before listening, standing in for Next.js start-up: this variable, else the number in
//                 ./boot-ms (packed into the benchmark's artifacts), else 1000
//   commit        from ./manifest.json (the release root, like the real route), else COMMIT, else "unknown"
//   ./FAIL_HEALTH if this file exists in the release folder, /api/health answers 503 (never healthy)
//   ./FAIL_DB     if this file exists, /api/health/db answers 503 (a release that starts, passes the on-host check
//                 of /api/health, and fails the public check of its database, e.g. a wrong DATABASE_URL)
// Calls process.send('ready') once listening (PM2 wait_ready) and closes gracefully on SIGINT/SIGTERM.
'use strict';
const fs = require('fs');
const http = require('http');

// Like Next.js's standalone server.js: run from the real release folder (PM2 may start us through a symlink).
process.chdir(__dirname);

let commit = process.env.COMMIT || 'unknown';
try { commit = JSON.parse(fs.readFileSync('manifest.json', 'utf8')).commit || commit; } catch { /* not a packed release */ }
const started = Date.now();

const server = http.createServer((req, res) => {
  const marker = req.url === '/api/health' ? 'FAIL_HEALTH' : req.url === '/api/health/db' ? 'FAIL_DB' : null;
  if (marker) {
    const failing = fs.existsSync(marker);
    res.writeHead(failing ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    return res.end(JSON.stringify(failing
      ? { status: 'error', commit, error: `${marker} present` }
      : { status: 'ok', commit, uptime: (Date.now() - started) / 1000 }));
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'x-commit': commit });
  res.end(`hello from ${commit}\n`);
});

setTimeout(() => {
  server.listen(Number(process.env.PORT || 3000), '127.0.0.1', () => {
    if (process.send) process.send('ready');
  });
}, bootMs());

function bootMs() {
  if (process.env.BOOT_MS) return Number(process.env.BOOT_MS);
  try { return Number(fs.readFileSync('boot-ms', 'utf8')); } catch { return 1000; }
}

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
