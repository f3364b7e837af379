/**
 * The benchmark target: a minimal node:http server answering 200 "hello" with Content-Length
 * and keep-alive (the `server.js` of performance.md §1), so z6, autocannon and wrk are compared
 * on the same, known-cheap target. `GET /slow?ms=N` answers after N ms (for the memory bench:
 * VUs that each hold one request open). `GET /json` answers a small JSON object (for the flow
 * variant of the templates bench: a login-like response whose token the next request reuses).
 *
 * Listens on 127.0.0.1 on a free port (or --port N) and prints one JSON line {"port": N} on
 * stdout once listening. Runs until killed. scripts/bench.mjs starts it pinned to CPU 0.
 */
import { createServer } from 'node:http';

const body = Buffer.from('hello');
const headers = { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) };
const jsonBody = Buffer.from('{"token":"tk-5f2a9c","user":{"id":42,"name":"ann"},"items":[1,2,3]}');
const jsonHeaders = { 'Content-Type': 'application/json', 'Content-Length': String(jsonBody.length) };

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url.startsWith('/slow')) {
    const m = /[?&]ms=(\d+)/.exec(url);
    const ms = m ? Number(m[1]) : 10_000;
    const t = setTimeout(() => {
      res.writeHead(200, headers);
      res.end(body);
    }, ms);
    // A client that goes away early must not keep the timer (and the response) alive.
    res.on('close', () => clearTimeout(t));
    return;
  }
  if (url === '/json') {
    res.writeHead(200, jsonHeaders);
    res.end(jsonBody);
    return;
  }
  res.writeHead(200, headers);
  res.end(body);
});
// Keep idle keep-alive connections open across a whole bench run, and never cut a slow request.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.requestTimeout = 0;

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
server.listen(port, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : port }) + '\n');
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Exit when the parent goes away (the bench pipes our stdin); never outlive the bench.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
