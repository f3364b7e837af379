/**
 * The undici side: one `Client` per connection slot (performance.md §5.2 — a Pool scans its
 * clients on every dispatch), keep-alive, HTTP/1.1 or HTTP/2, TLS options, explicit connect and
 * request timeouts; how a connection is opened (and timed) is in connector.ts.
 */
import { Client, type Dispatcher } from 'undici';
import { makeConnector, type ConnectorOptions } from './connector';
import type { RequestSpec, Scenario } from '../scenario/model';

export const USER_AGENT = 'z6/0.1.0';

export function makeClientFactory(scenario: Scenario, opts: ConnectorOptions): () => Client {
  const t = scenario.target;
  const h2 = t.httpVersion === 'http2';
  const connect = makeConnector(scenario, opts);
  // Request timeouts are set per request (dispatch opts); these are only the fallbacks.
  const maxTimeout = Math.max(...scenario.requests.map((r) => r.timeoutMs));
  return () =>
    new Client(t.origin, {
      connect,
      pipelining: 1,
      allowH2: h2,
      headersTimeout: maxTimeout,
      bodyTimeout: maxTimeout,
      keepAliveTimeout: 4_000,
    });
}

/**
 * The dispatch options of each request, built once and reused for every send (undici copies
 * what it needs into its own Request object and does not mutate these).
 */
export function dispatchOptions(r: RequestSpec): Dispatcher.DispatchOptions {
  const headers: Record<string, string> = {};
  let hasUa = false;
  for (const [k, v] of Object.entries(r.headers)) {
    headers[k] = v;
    if (k.toLowerCase() === 'user-agent') hasUa = true;
  }
  if (!hasUa) headers['user-agent'] = USER_AGENT;
  // body_file: a view of the one Buffer read before the run, not a copy; undici writes it as is.
  const body = r.body === undefined ? undefined : typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
  return {
    method: r.method,
    path: r.wirePath,
    headers,
    body: body ?? null,
    headersTimeout: r.timeoutMs,
    bodyTimeout: r.timeoutMs,
  };
}
