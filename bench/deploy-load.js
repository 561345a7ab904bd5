// Steady load for the deploy benchmark: GET <url> at a fixed rate until SIGTERM/SIGINT or --max-seconds, then print
// one JSON line: {"total","ok","failed","byStatus","errors","retriedResets"}. "failed" is anything but HTTP 200 (502
// from Nginx, a reset, a timeout). Connections are kept alive, like a browser's; and like a browser, a request whose
// *reused* idle connection was closed under it (the server closed it at the same instant, e.g. an Nginx reload retiring
// its old worker) is sent once more on a new connection and counted in "retriedResets", not as a failure (Chromium's
// rule: a reused connection that fails before any response header is retried). "Reused" means the socket carried a
// response before: Node's req.reusedSocket is false for a request that waited in the agent's queue and was then handed
// a kept-alive socket, which is the common case under load with a slow app (Next.js), so it is not relied on.
// With --events=<file>, also writes "<epoch ms> <status> <commit>" each time the pair changes (the commit comes from
// the x-commit header), which is how the benchmark sees when the old release serves again, and every failure with
// what is known of it (error, new or reused connection, ms since sent, local port).
//   node bench/deploy-load.js --url=http://127.0.0.1:8080/ --rate=100 --max-seconds=120 [--events=file]
'use strict';
const http = require('http');
const fs = require('fs');

const args = Object.fromEntries(process.argv.slice(2).map(a => a.replace(/^--/, '').split('=')).map(([k, ...v]) => [k, v.join('=')]));
const url = new URL(args.url);
const rate = Number(args.rate || 100);
const maxSeconds = Number(args['max-seconds'] || 120);
const events = args.events ? fs.openSync(args.events, 'w') : null;

// Responses completed per socket: a socket that carried one is a reused keep-alive connection.
const served = new WeakMap();
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const counts = { total: 0, ok: 0, failed: 0, byStatus: {}, errors: {}, retriedResets: 0 };
let inFlight = 0;
let lastState = '';
let stopping = false;

// A failure is always written, with what is known of it (<error code> <new|reused> [retry] <ms since sent>), so that
// a failed request can be placed against the deploy's own time-stamped output.
function record(status, commit, detail) {
  counts.total++;
  if (status === 200) counts.ok++; else counts.failed++;
  counts.byStatus[status] = (counts.byStatus[status] || 0) + 1;
  const state = `${status} ${commit}`;
  if (events && (state !== lastState || status !== 200)) fs.writeSync(events, `${Date.now()} ${state}${detail ? ' ' + detail : ''}\n`);
  lastState = state;
}

function send(retry) {
  let answered = false;
  const sent = Date.now();
  let localPort = 0;
  let socket = null;
  // The retry goes on a new connection (agent: false), as a browser's does, never on another pooled idle one.
  const req = http.get(url, { agent: retry ? false : agent, timeout: 5000 }, res => {
    answered = true;
    res.resume();
    res.on('end', () => { if (socket) served.set(socket, (served.get(socket) || 0) + 1); inFlight--; record(res.statusCode, res.headers['x-commit'] || '-', res.statusCode === 200 ? '' : `http ${Date.now() - sent}ms`); });
    res.on('error', e => { inFlight--; record('error', '-', `${e.code || e.message} mid-response ${Date.now() - sent}ms`); });
  });
  let reused = false;
  req.on('socket', s => {
    socket = s;
    reused = (served.get(s) || 0) > 0;
    if (s.connecting) s.once('connect', () => { localPort = s.localPort; }); else localPort = s.localPort;
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', e => {
    if (answered) return;
    if (!retry && (reused || req.reusedSocket) && e.code === 'ECONNRESET') {
      counts.retriedResets++;
      return send(true);
    }
    inFlight--;
    counts.errors[e.code || e.message] = (counts.errors[e.code || e.message] || 0) + 1;
    record('error', '-', `${e.code || e.message} ${reused || req.reusedSocket ? 'reused' : 'new'}-connection${retry ? ' retry' : ''} ${Date.now() - sent}ms port ${localPort}`);
  });
}

function fire() {
  inFlight++;
  send(false);
}

const timer = setInterval(fire, 1000 / rate);
function finish() {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  // Let requests already sent finish (each has a 5 s timeout), then report.
  const wait = setInterval(() => {
    if (inFlight > 0) return;
    clearInterval(wait);
    process.stdout.write(JSON.stringify(counts) + '\n');
    process.exit(0);
  }, 20);
}
process.on('SIGTERM', finish);
process.on('SIGINT', finish);
setTimeout(finish, maxSeconds * 1000);
