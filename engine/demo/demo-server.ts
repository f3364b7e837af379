/**
 * The embedded demo target: a small HTTP server on 127.0.0.1 with endpoints that show what a
 * load test sees — fast responses, JSON, slow responses, failures on purpose, any status, echo.
 * Used by `z6 demo`, `z6 demo-server` and the engine tests. Deterministic where it can be:
 * /flaky draws from its own seeded generator, so a run's failure count is reproducible for a
 * given order of requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Rng } from '../plan/prng';

export interface DemoServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEMO_ENDPOINTS: readonly { path: string; what: string }[] = [
  { path: '/', what: 'fast plain text' },
  { path: '/json', what: 'a small JSON document' },
  { path: '/slow?ms=N', what: 'answers after N ms (default 100, at most 60000)' },
  { path: '/flaky?rate=R', what: '500 with probability R (default 0.1), else 200' },
  { path: '/error', what: 'always 500' },
  { path: '/status/CODE', what: 'answers with that status code' },
  { path: '/echo', what: 'POST: returns the request body' },
];

const JSON_BODY = JSON.stringify({
  items: Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: `item-${i + 1}`, price: Math.round((i + 1) * 9.99 * 100) / 100 })),
});

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function demoHandler(seed = 1): (req: IncomingMessage, res: ServerResponse) => void {
  const rng = new Rng(seed, 0);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    if (p === '/' || p === '/hello') return send(res, 200, 'hello from the z6 demo target\n');
    if (p === '/json') return send(res, 200, JSON_BODY, 'application/json');
    if (p === '/slow') {
      const ms = Math.min(60_000, Math.max(0, Number(url.searchParams.get('ms') ?? 100) || 0));
      const t = setTimeout(() => send(res, 200, `slept ${ms} ms\n`), ms);
      res.on('close', () => clearTimeout(t));
      return;
    }
    if (p === '/flaky') {
      const rate = Math.min(1, Math.max(0, Number(url.searchParams.get('rate') ?? 0.1)));
      return rng.next() < rate ? send(res, 500, 'flaky: failed this time\n') : send(res, 200, 'flaky: ok\n');
    }
    if (p === '/error') return send(res, 500, 'internal error (on purpose)\n');
    const m = /^\/status\/(\d{3})$/.exec(p);
    if (m) {
      const code = Number(m[1]);
      if (code < 200 || code > 599) return send(res, 400, 'status must be 200..599\n');
      return send(res, code, `status ${code}\n`);
    }
    if (p === '/echo') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream', 'content-length': body.length });
        res.end(body);
      });
      return;
    }
    send(res, 404, `not found: ${p}\n`);
  };
}

/** Starts the demo server on 127.0.0.1 (port 0 = a free port). */
export function startDemoServer(port = 0, seed = 1): Promise<DemoServer> {
  const server = createServer({ keepAliveTimeout: 10_000 }, demoHandler(seed));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: actual,
        url: `http://127.0.0.1:${actual}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
