/** A large, realistic scenario for benchmarks: N requests with headers, half with multi-line bodies. */
export function generateScenario(requests: number): string {
  const out = ['[metadata]', 'name = "generated"', '', '[runtime]', 'duration_seconds = 60', 'vus = 50', 'prng_seed = 1', '',
    '[target]', 'base_url = "http://127.0.0.1:8080"', ''];
  for (let i = 0; i < requests; i++) {
    out.push('[[requests]]', `name = "req_${i}"`, `method = "${i % 2 ? 'POST' : 'GET'}"`, `path = "/api/items/${i}?page=${i % 7}"`,
      `headers = { Accept = "application/json", "X-Request-Id" = "id-${i}", Authorization = "Bearer token-${i}" }`,
      `timeout_ms = ${1000 + (i % 5) * 500}`, `weight = ${(i % 10) + 1}`);
    if (i % 2) out.push('body = """', `{"id": ${i}, "name": "item ${i}", "tags": ["a", "b"]}`, '"""');
    out.push('');
  }
  out.push('[assertions]', 'p99_latency_ms = 500', 'error_rate_max = 0.01', '');
  return out.join('\n');
}
