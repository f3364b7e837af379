/**
 * Turns base_url = "sim://NAME", [simulation] and each [requests.simulation] (plain, already
 * type-checked values) into the simulated target the engine runs (engine/sim/). Shared by
 * validation (which reports the problems) and the model builder (which uses the result), as
 * resolve-schedule.ts is, so what the editor says about a model is what a run does.
 */
import { keySpec } from './schema';
import type { ResponseModel, Simulation } from './model';

type Table = Record<string, unknown>;
type Path = (string | number)[];

export interface SimulationProblem {
  /** The key (or table) the problem is about. */
  path: Path;
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

const RATES = ['error_rate', 'timeout_rate', 'reset_rate', 'connect_rate'] as const;
/** The parameter keys of each latency distribution. */
const PARAMS: Record<ResponseModel['latency'], readonly string[]> = {
  fixed: ['latency_ms'],
  lognormal: ['latency_ms', 'latency_p99_ms'],
  uniform: ['latency_min_ms', 'latency_max_ms'],
};
const LATENCY_KEYS = ['latency_ms', 'latency_p99_ms', 'latency_min_ms', 'latency_max_ms'];

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const dflt = (key: string): number => keySpec('simulation', key)!.default as number;
const table = (v: unknown): Table | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Table) : undefined);

/** The NAME of a sim://NAME base URL, or undefined when the target is real. */
export function simulatedName(baseUrl: unknown): string | undefined {
  if (typeof baseUrl !== 'string' || !/^sim:\/\//i.test(baseUrl)) return undefined;
  try {
    return new URL(baseUrl).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** One table's answers: its own keys over `under` ([simulation]'s, or the defaults). */
function answersOf(t: Table, under: ResponseModel | undefined): ResponseModel {
  const pick = (key: string, current: number | undefined): number | undefined => num(t[key]) ?? current;
  return {
    latency: (t.latency as ResponseModel['latency'] | undefined) ?? under?.latency ?? 'fixed',
    latencyMs: pick('latency_ms', under?.latencyMs) ?? dflt('latency_ms'),
    latencyP99Ms: pick('latency_p99_ms', under?.latencyP99Ms),
    latencyMinMs: pick('latency_min_ms', under?.latencyMinMs),
    latencyMaxMs: pick('latency_max_ms', under?.latencyMaxMs),
    errorRate: pick('error_rate', under?.errorRate) ?? 0,
    errorStatus: pick('error_status', under?.errorStatus) ?? dflt('error_status'),
    timeoutRate: pick('timeout_rate', under?.timeoutRate) ?? 0,
    resetRate: pick('reset_rate', under?.resetRate) ?? 0,
    connectRate: pick('connect_rate', under?.connectRate) ?? 0,
    responseBytes: pick('response_bytes', under?.responseBytes) ?? 0,
  };
}

/**
 * Problems of one table's answers. `own` is what the table writes itself: a request that only
 * inherits a problem from [simulation] is not told again (it is reported there, once).
 */
function answerProblems(m: ResponseModel, own: Table, at: Path, problem: (p: SimulationProblem) => void): void {
  const writes = (keys: readonly string[]) => keys.some((k) => own[k] !== undefined);
  const where = (key: string): Path => (own[key] !== undefined ? [...at, key] : at);
  const params = PARAMS[m.latency];
  if (writes(['latency', ...params])) {
    if (m.latency === 'lognormal') {
      if (m.latencyP99Ms === undefined) {
        problem({ path: where('latency'), code: 'missing-key', severity: 'error', message: 'latency = "lognormal" needs latency_p99_ms, the 99th percentile of the service time (latency_ms is its median)' });
      } else if (m.latencyP99Ms <= m.latencyMs) {
        problem({ path: where('latency_p99_ms'), code: 'latency-range', severity: 'error', message: `latency_p99_ms (${m.latencyP99Ms}) must be above latency_ms (${m.latencyMs}), the median` });
      }
    } else if (m.latency === 'uniform') {
      const missing = params.filter((k) => (k === 'latency_min_ms' ? m.latencyMinMs : m.latencyMaxMs) === undefined);
      if (missing.length) {
        problem({ path: where('latency'), code: 'missing-key', severity: 'error', message: `latency = "uniform" needs ${missing.join(' and ')}` });
      } else if (m.latencyMinMs! > m.latencyMaxMs!) {
        problem({ path: where('latency_max_ms'), code: 'latency-range', severity: 'error', message: `latency_max_ms (${m.latencyMaxMs}) is less than latency_min_ms (${m.latencyMinMs})` });
      }
    }
  }
  for (const key of LATENCY_KEYS) {
    if (own[key] === undefined || params.includes(key)) continue;
    problem({ path: [...at, key], code: 'not-applicable', severity: 'warning', message: `${key} has no effect with latency = "${m.latency}" (it uses ${params.join(' and ')})` });
  }
  const sum = m.errorRate + m.timeoutRate + m.resetRate + m.connectRate;
  if (sum > 1 + 1e-9 && writes(RATES)) {
    problem({ path: where(RATES.find((k) => own[k] !== undefined)!), code: 'rates-over-one', severity: 'error',
      message: `error_rate + timeout_rate + reset_rate + connect_rate is ${Math.round(sum * 1000) / 1000}: they are shares of the same requests and add up to at most 1` });
  }
}

export function resolveSimulation(plain: Table): { simulation?: Simulation; problems: SimulationProblem[] } {
  const problems: SimulationProblem[] = [];
  const problem = (p: SimulationProblem) => problems.push(p);
  const target = table(plain.target) ?? {};
  const name = simulatedName(target.base_url);
  const sim = table(plain.simulation);
  const requests = Array.isArray(plain.requests) ? (plain.requests as unknown[]).map((r) => table(r) ?? {}) : [];
  if (name === undefined) {
    const why = 'base_url is not sim://NAME, so the target is real';
    if (sim) problem({ path: ['simulation'], code: 'not-applicable', severity: 'warning', message: `[simulation] has no effect: ${why}` });
    requests.forEach((r, i) => {
      if (table(r.simulation)) problem({ path: ['requests', i, 'simulation'], code: 'not-applicable', severity: 'warning', message: `[requests.simulation] has no effect: ${why}` });
    });
    return { problems };
  }
  const own = sim ?? {};
  const answers = answersOf(own, undefined);
  answerProblems(answers, own, ['simulation'], problem);
  const concurrency = num(own.concurrency);
  const queueLimit = num(own.queue_limit);
  if (queueLimit !== undefined && concurrency === undefined) {
    problem({ path: ['simulation', 'queue_limit'], code: 'not-applicable', severity: 'warning', message: 'queue_limit has no effect without concurrency: with unlimited servers no request ever waits' });
  }
  if (own.queue_full_status !== undefined && queueLimit === undefined) {
    problem({ path: ['simulation', 'queue_full_status'], code: 'not-applicable', severity: 'warning', message: 'queue_full_status has no effect without queue_limit: the queue is never full' });
  }
  const perRequest = requests.map((r, i) => {
    const t = table(r.simulation);
    if (!t) return answers;
    const m = answersOf(t, answers);
    answerProblems(m, t, ['requests', i, 'simulation'], problem);
    return m;
  });
  return {
    problems,
    simulation: {
      name,
      concurrency,
      queueLimit: concurrency === undefined ? undefined : queueLimit,
      queueFullStatus: num(own.queue_full_status) ?? dflt('queue_full_status'),
      connectMs: num(own.connect_ms) ?? dflt('connect_ms'),
      answers,
      requests: perRequest,
    },
  };
}
