/**
 * How a new HTTP/1.1 connection is opened: undici's connector (TCP, TLS with the target's
 * options), wrapped so that every connection that opens is timed for the connect histogram.
 */
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { buildConnector } from 'undici';
import { skipInterim100 } from './interim-responses';
import type { Scenario } from '../scenario/model';

/** Thrown before any traffic when the run cannot be set up (exit code 3). */
export class RunSetupError extends Error {}

export interface ConnectorOptions {
  /** Called with the duration (µs) of every connection that opened. */
  onConnect: (us: number) => void;
}

/** The ca_bundle's bytes, read once per run (also by the HTTP/2 connection). */
export function readCaBundle(scenario: Scenario): Buffer | undefined {
  const file = scenario.target.caBundle;
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (e) {
    throw new RunSetupError(`cannot read ca_bundle ${file}: ${(e as Error).message}`);
  }
}

/** HTTP/1.1 connections; HTTP/2 opens its own (h2-connection.ts). */
export function makeConnector(scenario: Scenario, opts: ConnectorOptions): buildConnector.connector {
  const t = scenario.target;
  const ca = readCaBundle(scenario);
  const base = buildConnector({
    timeout: t.connectionTimeoutMs,
    ...(t.tls ? { rejectUnauthorized: t.verifyCert, ...(ca ? { ca } : {}) } : {}),
  } as buildConnector.BuildOptions);
  const onConnect = opts.onConnect;
  return (options, callback) => {
    const t0 = performance.now();
    base(options, (err, socket) => {
      if (!err) {
        onConnect((performance.now() - t0) * 1000);
        skipInterim100(socket as unknown as Duplex);
      }
      // The callback types are a union on (err, socket); pass them through unchanged.
      (callback as (e: Error | null, s: unknown) => void)(err, socket);
    });
  };
}
