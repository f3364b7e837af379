/**
 * The HTTP side: one connection per slot (connections.ts; performance.md §5.2 — an undici Pool
 * scans its clients on every dispatch), keep-alive, TLS options. HTTP/1.1 is an undici `Client`
 * (how its connection is opened and timed is in connector.ts); HTTP/2 is h2-connection.ts.
 */
import { Client, type Dispatcher } from 'undici';
import { makeConnector, type ConnectorOptions } from './connector';
import type { Connection } from './connections';
import { H2Connection, h2Options } from './h2-connection';
import type { RequestSpec, Scenario } from '../scenario/model';
import { simulatedConnections } from '../sim/simulate';

export const USER_AGENT = 'z6/0.1.0';

/**
 * Opens the connection of one slot: an undici Client for HTTP/1.1, an H2Connection for HTTP/2,
 * a SimConnection for a simulated target (engine/sim/).
 * undici's own header/body timers are off (0): the runner's deadline sweep enforces timeout_ms
 * over the whole request, from the moment it is issued.
 */
export function makeConnectionFactory(scenario: Scenario, opts: ConnectorOptions): () => Connection {
  if (scenario.simulation) return simulatedConnections(opts);
  const t = scenario.target;
  if (t.httpVersion === 'http2') {
    const o = h2Options(scenario, opts);
    return () => new H2Connection(o);
  }
  const connect = makeConnector(scenario, opts);
  return () =>
    new Client(t.origin, {
      connect,
      pipelining: 1,
      headersTimeout: 0,
      bodyTimeout: 0,
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
    headersTimeout: 0,
    bodyTimeout: 0,
  };
}
