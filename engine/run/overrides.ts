/**
 * Command-line overrides of a scenario (`--vus`, `--duration`, `--smoke`), applied to a copy.
 *
 * --vus N replaces the closed-model schedule with a constant N VUs (as k6's --vus does) and, in
 * the open model, sets max_in_flight. --duration S sets the run's length (the schedule's last
 * level is held, or it is cut short). --smoke checks that the scenario works before it is used
 * for load: one VU sends each request once, in order (or the [sequence] once), without think
 * time and without assertions; setup, teardown, extraction and checks run as written.
 */
import type { Scenario } from '../scenario/model';

export interface Overrides {
  vus?: number;
  durationSeconds?: number;
  smoke?: boolean;
}

export function applyOverrides(s: Scenario, o: Overrides): Scenario {
  if (o.smoke) return smoke(s);
  if (o.vus === undefined && o.durationSeconds === undefined) return s;
  const out: Scenario = { ...s, runtime: { ...s.runtime }, schedule: { ...s.schedule } as Scenario['schedule'] };
  if (o.durationSeconds !== undefined) out.runtime.durationSeconds = o.durationSeconds;
  if (o.vus !== undefined) {
    if (out.schedule.type === 'arrival_rate' || out.schedule.type === 'ramp_arrival_rate') out.schedule.maxInFlight = o.vus;
    else out.schedule = { type: 'constant', vus: o.vus };
    out.runtime.maxVus = o.vus;
  }
  return out;
}

function smoke(s: Scenario): Scenario {
  // The sequence as written, or every request once in file order (weights do not matter here).
  const sequence = s.sequence ?? s.requests.map((r) => ({ request: r.name, requestIndex: r.index, repeat: 1 }));
  return {
    ...s,
    runtime: { ...s.runtime, durationSeconds: undefined, maxVus: 1, iterations: 1 },
    schedule: { type: 'constant', vus: 1 },
    thinkTime: { type: 'none' },
    sequence,
    assertions: {},
    abort: { onFail: false, delaySeconds: 0 },
    requests: s.requests.map((r) => ({ ...r, assertions: {}, checks: r.checks.map((c) => ({ ...c, passRateMin: undefined })) })),
  };
}

/** Points a scenario at another base URL (e.g. the embedded demo server), keeping request paths. */
export function retarget(s: Scenario, baseUrl: string): Scenario {
  const url = new URL(baseUrl);
  const basePath = url.pathname.replace(/\/+$/, '');
  const tls = url.protocol === 'https:';
  return {
    ...s,
    target: { ...s.target, baseUrl, origin: url.origin, basePath, tls },
    requests: s.requests.map((r) => ({ ...r, wirePath: basePath + r.path })),
  };
}
