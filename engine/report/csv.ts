/** The per-second time series of a run as CSV (one row per second), for spreadsheets and plots. */
import type { Results } from '../metrics/results-types';

/** New columns go at the end, so scripts that read the older ones by position keep working. */
export const CSV_HEADER = ['t_seconds', 'requests', 'rps', 'failures', 'p50_ms', 'p95_ms', 'p99_ms', 'active_vus', 'dropped', 'responses', 'seconds', 'checks_passed', 'checks_failed'];

/**
 * rps is empty for the run's last, partial second (its count is in `responses`, its length in
 * `seconds`); the check columns are empty for a run without checks.
 */
export function timeseriesCsv(results: Results): string {
  const rows = [CSV_HEADER.join(',')];
  for (const s of results.timeseries) {
    rows.push([s.t, s.requests, s.rps ?? '', s.failures, s.p50 ?? '', s.p95 ?? '', s.p99 ?? '', s.activeVus, s.dropped ?? 0, s.responses ?? '', s.seconds ?? 1, s.checksPassed ?? '', s.checksFailed ?? ''].join(','));
  }
  return rows.join('\n') + '\n';
}
