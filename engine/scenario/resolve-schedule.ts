/**
 * Turns the [runtime] and [schedule] tables (plain, already type-checked values) into the
 * schedule the engine runs, its own length and its peak. Shared by validation (which reports
 * the problems) and the model builder (which uses the result), so both agree.
 */
import type { Schedule } from './model';

type Table = Record<string, unknown>;

export interface ScheduleProblem {
  /** Path of the key the problem is about, relative to the root; ['schedule'] for the table itself. */
  path: (string | number)[];
  code: string;
  message: string;
  severity: 'error' | 'warning';
  /** The other keys the problem is between (runtime.vus for a schedule over the cap), where they are written. */
  related?: { path: (string | number)[]; message: string }[];
}

export interface ResolvedSchedule {
  schedule?: Schedule;
  /** Seconds the schedule itself lasts, when it has its own length. */
  ownLength?: number;
  /** The run's length: runtime.duration_seconds, else ownLength. */
  durationSeconds?: number;
  /** Most VUs (closed) or in-flight requests (open) the run may use. */
  peak: number;
  problems: ScheduleProblem[];
}

const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function resolveSchedule(runtime: Table | undefined, sched: Table | undefined): ResolvedSchedule {
  const problems: ScheduleProblem[] = [];
  const rt = runtime ?? {};
  const capVus = n(rt.vus);
  const runDuration = n(rt.duration_seconds);
  const iterations = n(rt.iterations);
  const type = sched === undefined ? 'constant' : (sched.type as string | undefined);
  const s = sched ?? {};
  let schedule: Schedule | undefined;
  let ownLength: number | undefined;
  let peak = 0;
  const problem = (path: (string | number)[], code: string, message: string, severity: 'error' | 'warning' = 'error', related?: ScheduleProblem['related']) =>
    problems.push(related ? { path, code, message, severity, related } : { path, code, message, severity });
  const cap = [{ path: ['runtime', 'vus'], message: `runtime.vus caps the run at ${capVus} VUs here` }];

  switch (type) {
    case 'constant': {
      const vus = n(s.vus) ?? capVus ?? 1;
      if (n(s.vus) !== undefined && capVus !== undefined && s.vus !== capVus) {
        if (vus > capVus) problem(['schedule', 'vus'], 'schedule-exceeds-vus', `schedule.vus (${vus}) is more than runtime.vus (${capVus}), which caps the run`, 'error', cap);
        else problem(['schedule', 'vus'], 'vus-mismatch', `schedule.vus (${vus}) differs from runtime.vus (${capVus}); the schedule's ${vus} VUs are used`, 'warning',
          [{ path: ['runtime', 'vus'], message: `runtime.vus is ${capVus} here` }]);
      }
      schedule = { type, vus };
      peak = vus;
      break;
    }
    case 'ramp': {
      const startVus = n(s.start_vus) ?? 0;
      const endVus = n(s.end_vus) ?? n(s.vus) ?? capVus;
      const hold = n(s.hold_duration_seconds) ?? 0;
      let ramp = n(s.ramp_duration_seconds);
      if (ramp !== undefined) ownLength = ramp + hold;
      else if (runDuration !== undefined) ramp = Math.max(0, runDuration - hold);
      if (endVus === undefined) {
        problem(['schedule'], 'missing-key', 'a ramp needs its end level: set end_vus (or vus, or runtime.vus)');
        break;
      }
      if (ramp === undefined) break; // no duration at all: reported below
      schedule = { type, startVus, endVus, rampDurationSeconds: ramp, holdDurationSeconds: hold };
      peak = Math.max(startVus, endVus);
      for (const key of ['start_vus', 'end_vus', 'vus'] as const) capCheck(key);
      break;
    }
    case 'spike': {
      const baselineVus = n(s.baseline_vus);
      const spikeVus = n(s.spike_vus);
      const spikeStartSeconds = n(s.spike_start_seconds);
      const spikeDurationSeconds = n(s.spike_duration_seconds);
      if (baselineVus === undefined || spikeVus === undefined || spikeStartSeconds === undefined || spikeDurationSeconds === undefined) break;
      schedule = { type, baselineVus, spikeVus, spikeStartSeconds, spikeDurationSeconds };
      // As much baseline after the spike as before it.
      ownLength = 2 * spikeStartSeconds + spikeDurationSeconds;
      peak = Math.max(baselineVus, spikeVus);
      for (const key of ['baseline_vus', 'spike_vus'] as const) capCheck(key);
      if (runDuration !== undefined && spikeStartSeconds >= runDuration) {
        problem(['schedule', 'spike_start_seconds'], 'spike-after-end', `the spike starts at ${spikeStartSeconds} s, but the run lasts ${runDuration} s`, 'warning',
          [{ path: ['runtime', 'duration_seconds'], message: `the run's length is set to ${runDuration} s here` }]);
      }
      break;
    }
    case 'steps': {
      const raw = Array.isArray(s.steps) ? (s.steps as Table[]) : [];
      if (raw.length === 0) {
        problem(['schedule'], 'missing-steps', 'a steps schedule needs at least one [[schedule.steps]] with vus and duration_seconds');
        break;
      }
      const steps = raw.map((st) => ({ vus: n(st.vus) ?? 0, durationSeconds: n(st.duration_seconds) ?? 0 }));
      schedule = { type, steps };
      ownLength = steps.reduce((a, st) => a + st.durationSeconds, 0);
      peak = Math.max(...steps.map((st) => st.vus));
      if (capVus !== undefined) {
        raw.forEach((st, i) => {
          if ((n(st.vus) ?? 0) > capVus) problem(['schedule', 'steps', i, 'vus'], 'schedule-exceeds-vus', `step ${i + 1} needs ${st.vus} VUs, more than runtime.vus (${capVus})`, 'error', cap);
        });
      }
      break;
    }
    case 'arrival_rate':
    case 'ramp_arrival_rate': {
      const maxInFlight = n(s.max_in_flight) ?? capVus ?? 100;
      if (capVus !== undefined && maxInFlight > capVus) {
        problem(['schedule', 'max_in_flight'], 'schedule-exceeds-vus', `max_in_flight (${maxInFlight}) is more than runtime.vus (${capVus}), which caps the run`, 'error', cap);
      }
      peak = maxInFlight;
      if (type === 'arrival_rate') {
        const rate = n(s.rate);
        if (rate !== undefined) schedule = { type, rate, maxInFlight };
      } else {
        const endRate = n(s.end_rate);
        const hold = n(s.hold_duration_seconds) ?? 0;
        let ramp = n(s.ramp_duration_seconds);
        if (ramp !== undefined) ownLength = ramp + hold;
        else if (runDuration !== undefined) ramp = Math.max(0, runDuration - hold);
        if (endRate !== undefined && ramp !== undefined) {
          schedule = { type, startRate: n(s.start_rate) ?? 0, endRate, rampDurationSeconds: ramp, holdDurationSeconds: hold, maxInFlight };
        }
      }
      if (iterations !== undefined) {
        problem(['runtime', 'iterations'], 'not-applicable', 'iterations has no effect in the open model (arrival_rate schedules)', 'warning',
          [{ path: ['schedule', 'type'], message: `the schedule is ${type} here` }]);
      }
      break;
    }
    default:
      // An unknown or missing type is reported by the key checks.
      return { peak: 0, problems };
  }

  const durationSeconds = runDuration ?? ownLength;
  if (durationSeconds === undefined && (iterations === undefined || type === 'arrival_rate' || type === 'ramp_arrival_rate')) {
    problem(runtime ? ['runtime'] : sched ? ['schedule'] : [], 'no-duration',
      'the run has no duration: set runtime.duration_seconds' + (type?.endsWith('arrival_rate') ? '' : ' or runtime.iterations') +
      (type === 'ramp' || type === 'ramp_arrival_rate' ? ', or ramp_duration_seconds' : ''));
    schedule = undefined;
  } else if (runDuration !== undefined && ownLength !== undefined && runDuration !== ownLength) {
    problem(['runtime', 'duration_seconds'], 'duration-mismatch',
      runDuration < ownLength
        ? `the schedule lasts ${ownLength} s but runtime.duration_seconds is ${runDuration}: the run stops at ${runDuration} s`
        : `the schedule lasts ${ownLength} s but runtime.duration_seconds is ${runDuration}: its last level is held for the remaining ${runDuration - ownLength} s`,
      'warning', [{ path: ['schedule'], message: `the schedule, ${ownLength} s long, is here` }]);
  }
  return { schedule, ownLength, durationSeconds, peak, problems };

  function capCheck(key: string): void {
    const v = n(s[key]);
    if (capVus !== undefined && v !== undefined && v > capVus) {
      problem(['schedule', key], 'schedule-exceeds-vus', `schedule.${key} (${v}) is more than runtime.vus (${capVus}), which caps the run`, 'error', cap);
    }
  }
}
