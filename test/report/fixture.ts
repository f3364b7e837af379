/**
 * A hand-built Results with every section populated, shaped like a real run (values are made
 * consistent: issued = succeeded + failed + interrupted, status codes add up). Tests that need
 * real engine output run the engine instead; this one covers shapes a short loopback run rarely
 * produces (open model, several failure kinds, a hostile request name).
 */
import type { Results, SecondSample } from '../../engine/metrics/results-types';

export const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_MESSAGE = '</script><script>window.__pwned=2</script>';

export function fixtureResults(): Results {
  const timeseries: SecondSample[] = [];
  for (let t = 0; t < 30; t++) {
    const ramp = Math.min(1, (t + 1) / 10);
    const requests = Math.round(400 * ramp + (t % 3) * 7);
    const failures = t > 18 && t < 24 ? 6 + (t % 2) : t % 7 === 0 ? 1 : 0;
    timeseries.push({
      t,
      requests,
      responses: requests - (failures > 1 ? 1 : 0),
      rps: requests - (failures > 1 ? 1 : 0),
      failures,
      p50: 3.2 + ramp * 2 + (t % 4) * 0.1,
      p95: 9.5 + ramp * 6 + (t % 5) * 0.3,
      p99: 18 + ramp * 12 + (t % 6),
      activeVus: Math.round(50 * ramp),
      dropped: t > 20 ? 2 : 0,
    });
  }
  const latency = { min: 0.41, mean: 5.87, p50: 4.9, p90: 11.2, p95: 14.8, p99: 29.6, p999: 61.3, max: 88.02, count: 10430 };
  return {
    version: 1,
    tool: { name: 'z6', version: '0.1.0' },
    scenario: { name: 'Checkout flow', file: '/work/scenarios/checkout.z6.toml', hash: 'a3f1c9e07b22d4c8e1f05a6b7c8d9e0f11223344556677889900aabbccddeeff' },
    seed: 424242,
    startedAt: '2026-11-25T00:50:00.000Z',
    endedAt: '2026-11-25T00:50:30.120Z',
    durationSeconds: 30.12,
    loadSeconds: 30.04,
    status: 'completed',
    schedule: { type: 'ramp', plannedDurationSeconds: 30, peakVus: 50, model: 'open' },
    target: { baseUrl: 'http://127.0.0.1:8080/api', httpVersion: 'http1.1' },
    totals: {
      issued: 10450,
      succeeded: 10380,
      failed: 50,
      interrupted: 20,
      dropped: 18,
      droppedRate: 0.002, // 18 / (10,450 + 18)
      // succeeded + the 4xx and 5xx responses; 10,422 / 30.04 s of load.
      responses: 10422,
      rps: 346.9,
      errorRate: 50 / 10430,
      successRate: 10380 / 10430,
      bytesReceived: 7_654_321,
      connectionsOpened: 50,
    },
    latency,
    latencyFromIntended: { ...latency, p99: 41.7, p999: 90.1, max: 120.5, mean: 7.1 },
    schedulingLag: { mean: 0.8, p99: 12.4, max: 33.1 },
    connectTime: { min: 0.12, mean: 0.3, p50: 0.25, p90: 0.5, p95: 0.6, p99: 0.9, p999: 1.1, max: 1.2, count: 50 },
    statusCodes: { '200': 9980, '201': 400, '404': 30, '503': 12 },
    failures: { http_4xx: 30, http_5xx: 12, timeout: 5, reset: 3 },
    failureSamples: {
      http_4xx: ['GET /api/items/999 → 404 Not Found'],
      http_5xx: ['POST /api/checkout → 503 Service Unavailable', HOSTILE_MESSAGE],
      timeout: ['request timed out after 5000 ms'],
      reset: ['socket hang up (ECONNRESET)'],
    },
    requests: [
      {
        name: 'list items', method: 'GET', path: '/items', issued: 6200, succeeded: 6170, failed: 25, interrupted: 5,
        latency: { ...latency, p50: 4.1, p95: 12.2, p99: 24.9, max: 70.3, count: 6195 }, failures: { http_4xx: 25 }, histogram: '',
      },
      {
        name: HOSTILE_NAME, method: 'POST', path: '/checkout?x=<b>bold</b>', issued: 4250, succeeded: 4210, failed: 25, interrupted: 15,
        latency: { ...latency, p50: 6.3, p95: 18.1, p99: 35.2, max: 88.02, count: 4235 }, failures: { http_4xx: 5, http_5xx: 12, timeout: 5, reset: 3 }, histogram: '',
      },
    ],
    timeseries,
    assertions: [
      { key: 'p99_latency_ms', description: 'p99 latency', op: '<=', expected: 50, actual: 29.6, pass: true },
      { key: 'error_rate_max', description: 'error rate', op: '<=', expected: 0.001, actual: 50 / 10430, pass: false },
      { key: 'rps_min', description: 'throughput', op: '>=', expected: 300, actual: 346.9, pass: true },
    ],
    histograms: { latency: '' },
    generator: { cpuPercent: 41.5, eventLoopUtilization: 0.38 },
  };
}
