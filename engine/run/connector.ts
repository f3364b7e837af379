/**
 * How a new connection is opened: undici's connector (TCP, TLS with the target's options, ALPN
 * for HTTP/2, h2c with prior knowledge), wrapped so that every connection that opens is timed for
 * the connect histogram.
 */
import { readFileSync } from 'node:fs';
import { buildConnector } from 'undici';
import type { Scenario } from '../scenario/model';

/** Thrown before any traffic when the run cannot be set up (exit code 3). */
export class RunSetupError extends Error {}

export interface ConnectorOptions {
  /** Called with the duration (µs) of every connection that opened. */
  onConnect: (us: number) => void;
}

export function makeConnector(scenario: Scenario, opts: ConnectorOptions): buildConnector.connector {
  const t = scenario.target;
  let ca: Buffer | undefined;
  if (t.caBundle) {
    try {
      ca = readFileSync(t.caBundle);
    } catch (e) {
      throw new RunSetupError(`cannot read ca_bundle ${t.caBundle}: ${(e as Error).message}`);
    }
  }
  const h2 = t.httpVersion === 'http2';
  const base = buildConnector({
    timeout: t.connectionTimeoutMs,
    allowH2: h2,
    // HTTP/2 over plain http:// is h2c with prior knowledge.
    useH2c: h2 && !t.tls,
    ...(t.tls ? { rejectUnauthorized: t.verifyCert, ...(ca ? { ca } : {}) } : {}),
  } as buildConnector.BuildOptions);
  const onConnect = opts.onConnect;
  return (options, callback) => {
    const t0 = performance.now();
    base(options, (err, socket) => {
      if (!err) onConnect((performance.now() - t0) * 1000);
      // The callback types are a union on (err, socket); pass them through unchanged.
      (callback as (e: Error | null, s: unknown) => void)(err, socket);
    });
  };
}
