// Health answers the deploy fixture app (tests/fixtures/app/server.js) does not give, for HealthChecker tests.
// Listens on a free loopback port and prints "listening <port>" once ready. The commit it reports comes from COMMIT.
//   GET /flaky/<key>?failures=N  500 for the first N requests of <key>, then 200 {"status":"ok","commit":COMMIT}
//   GET /text                    200 text/html (a proxy's default page, not the app)
'use strict';
const http = require('http');

const commit = process.env.COMMIT || 'unknown';
const seen = new Map();

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/flaky/')) {
    const count = (seen.get(url.pathname) || 0) + 1;
    seen.set(url.pathname, count);
    if (count <= Number(url.searchParams.get('failures') || 0)) return json(res, 500, { status: 'error', error: `starting (request ${count})` });
    return json(res, 200, { status: 'ok', commit });
  }
  if (url.pathname === '/text') {
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end('<html><body><h1>Welcome to nginx!</h1></body></html>');
  }
  json(res, 404, { status: 'error', error: 'not found' });
});

server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
