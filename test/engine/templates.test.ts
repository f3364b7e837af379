/**
 * Templates in a real run, proven on the server side: a loopback server records the path,
 * headers and body of every request, so the test sees what was actually rendered (vu,
 * iteration, vars, env, encoders), that seeded randoms come from the VU's template stream (and
 * are the same in two runs with one seed), that they leave the request mix alone, and that a
 * value missing at run time is a counted 'template' failure with nothing sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IncomingMessage } from 'node:http';
import { PlanTables, VuPlan } from '../../engine/plan/choice';
import { Rng, TEMPLATE_STREAMS } from '../../engine/plan/prng';
import { runScenario } from '../../engine/run';
import { dispatchOptions } from '../../engine/run/transport';
import { compileRequest, scopeOf } from '../../engine/templates/request';
import { assertAccounted, httpServer, scenarioFrom, type Listening } from './helpers';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const seen: Seen[] = [];
let server: Listening;

before(async () => {
  server = await httpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      res.writeHead(200, { 'content-length': 2 });
      res.end('ok');
    });
  });
});

after(() => server.close());

const head = (extra = '') => `[target]\nbase_url = "${server.url}/base"\n${extra}`;

describe('rendered values reach the server', () => {
  test('vu, iteration, vars, env, url_encode and json_encode in path, query, headers and body', async () => {
    seen.length = 0;
    const s = scenarioFrom(head(`[vars]\nuser = "Ann Lee/&"\nlimit = 5\n[runtime]\nvus = 3\niterations = 4\nprng_seed = 1\n` +
      `[[requests]]\nmethod = "POST"\npath = "/u/{{ vu }}/{{ iteration }}?name={{ url_encode(user) }}&limit={{ limit }}"\n` +
      `headers = { X-Vu = "{{ vu }}", Authorization = "Bearer {{ env.TOKEN }}", Accept = "text/plain" }\n` +
      `body = '{"user": {{ json_encode(user) }}, "it": {{ iteration }}}'\n`));
    const r = await runScenario(s, { env: { TOKEN: 't-123' } });
    assertAccounted(r);
    assert.equal(r.totals.failed, 0);
    assert.equal(seen.length, 12);
    const got = seen.map((x) => `${x.headers['x-vu']} ${x.path} ${x.headers.authorization} ${x.headers.accept} ${x.body}`).sort();
    const want: string[] = [];
    for (let vu = 0; vu < 3; vu++) {
      for (let it = 0; it < 4; it++) {
        want.push(`${vu} /base/u/${vu}/${it}?name=Ann%20Lee%2F%26&limit=5 Bearer t-123 text/plain {"user": "Ann Lee/&", "it": ${it}}`);
      }
    }
    assert.deepEqual(got, want.sort());
    for (const x of seen) assert.equal(x.headers['user-agent'], 'z6/0.1.0');
  });

  test('iteration counts passes of a [sequence], not requests', async () => {
    seen.length = 0;
    const s = scenarioFrom(head('[runtime]\nvus = 1\niterations = 2\n' +
      '[[requests]]\nname = "a"\npath = "/a/{{ iteration }}"\n[[requests]]\nname = "b"\npath = "/b/{{ iteration }}"\n' +
      '[sequence]\n[[sequence.steps]]\nrequest = "a"\n[[sequence.steps]]\nrequest = "b"\nrepeat = 2\n'));
    await runScenario(s);
    assert.deepEqual(seen.map((x) => x.path), ['/base/a/0', '/base/b/0', '/base/b/0', '/base/a/1', '/base/b/1', '/base/b/1']);
  });
});

describe('seeded randoms', () => {
  const toml = (seed: number) => head(`[runtime]\nvus = 2\niterations = 20\nprng_seed = ${seed}\n` +
    `[[requests]]\nname = "a"\nweight = 3\npath = "/a/{{ vu }}/{{ random_int(1, 1000000) }}"\nheaders = { X-Id = "{{ uuid() }}", X-C = "{{ random_choice('x', 'y', 'z') }}" }\n` +
    `[[requests]]\nname = "b"\npath = "/b/{{ vu }}"\n`);

  async function run(seed: number): Promise<Map<string, string[]>> {
    seen.length = 0;
    const r = await runScenario(scenarioFrom(toml(seed)));
    assertAccounted(r);
    const byVu = new Map<string, string[]>();
    for (const x of seen) {
      const vu = x.path.split('/')[3]!;
      byVu.set(vu, [...(byVu.get(vu) ?? []), `${x.path} ${x.headers['x-id'] ?? ''} ${x.headers['x-c'] ?? ''}`]);
    }
    return byVu;
  }

  test('are what the VU\'s template stream draws, identical in two runs with one seed, different with another', async () => {
    const first = await run(42);
    const second = await run(42);
    assert.deepEqual(second, first);
    const other = await run(43);
    assert.notDeepEqual(other.get('0'), first.get('0'));
    // The drawn values come from new Rng(seed, vu, TEMPLATE_STREAMS), in template order:
    // random_int (path), uuid (4 draws, header X-Id), random_choice (header X-C).
    for (const vu of [0, 1]) {
      const rng = new Rng(42, vu, TEMPLATE_STREAMS);
      const aRequests = first.get(String(vu))!.filter((l) => l.startsWith('/base/a/'));
      for (const line of aRequests) {
        const n = 1 + Math.floor(rng.next() * 1000000);
        const words = [rng.nextU32(), rng.nextU32(), rng.nextU32(), rng.nextU32()];
        const c = ['x', 'y', 'z'][Math.floor(rng.next() * 3)];
        const [path, id, choice] = line.split(' ');
        assert.equal(path, `/base/a/${vu}/${n}`);
        assert.equal(id!.replace(/-/g, '').slice(0, 8), words[0]!.toString(16).padStart(8, '0'));
        assert.match(id!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(choice, c);
      }
    }
  });

  test('leave the request mix as the plan stream decides it (same choices as without templates)', async () => {
    const byVu = await run(42);
    const s = scenarioFrom(toml(42));
    const tables = new PlanTables(s);
    for (const vu of [0, 1]) {
      const p = new VuPlan(tables, 42, vu);
      const planned = Array.from({ length: 20 }, () => (p.next() === 0 ? 'a' : 'b'));
      // Requests of one VU go out one after another on its own connection, in plan order.
      assert.deepEqual(byVu.get(String(vu))!.map((l) => l.split('/')[2]), planned);
    }
  });
});

describe('a value missing at run time', () => {
  test('fails each request that needs it as kind template, sends nothing, and names the variable', async () => {
    seen.length = 0;
    const s = scenarioFrom(head('[runtime]\nvus = 2\niterations = 5\n' +
      '[[requests]]\nname = "needs"\nweight = 1\npath = "/n"\nheaders = { Authorization = "Bearer {{ env.MISSING_TOKEN }}" }\n' +
      '[[requests]]\nname = "plain"\nweight = 1\npath = "/p"\n'));
    const r = await runScenario(s, { env: { OTHER: 'x', EMPTY: '' } });
    assertAccounted(r);
    const needs = r.requests.find((q) => q.name === 'needs')!;
    const plain = r.requests.find((q) => q.name === 'plain')!;
    assert.equal(needs.issued + plain.issued, 10);
    assert.equal(needs.failed, needs.issued);
    assert.deepEqual(needs.failures, { template: needs.issued });
    assert.equal(needs.latency.count, 0, 'never sent: no latency sample');
    assert.equal(plain.failed, 0);
    assert.deepEqual(r.failureSamples.template, ['env.MISSING_TOKEN is not set']);
    assert.ok(seen.every((x) => x.path === '/base/p'), 'the server never saw the request that could not be rendered');
    assert.equal(seen.length, plain.issued);
  });

  test('an empty env value counts as missing, not as an empty string sent', async () => {
    seen.length = 0;
    const s = scenarioFrom(head('[runtime]\nvus = 1\niterations = 3\n[[requests]]\npath = "/e?t={{ env.EMPTY }}"\n'));
    const r = await runScenario(s, { env: { EMPTY: '' } });
    assert.equal(r.failures.template, 3);
    assert.deepEqual(r.failureSamples.template, ['env.EMPTY is empty']);
    assert.equal(seen.length, 0);
  });
});

describe('open model', () => {
  test('arrival k renders iteration k and draws from stream k, whichever slot sends it', async () => {
    seen.length = 0;
    const s = scenarioFrom(head('[runtime]\nduration_seconds = 1\nprng_seed = 9\n[schedule]\ntype = "arrival_rate"\nrate = 40\nmax_in_flight = 5\n' +
      '[[requests]]\npath = "/o/{{ iteration }}/{{ random_int(1, 1000000) }}"\n'));
    const r = await runScenario(s);
    assertAccounted(r);
    assert.ok(seen.length >= 20, `only ${seen.length} arrivals`);
    for (const x of seen) {
      const [, , , k, n] = x.path.split('/');
      const rng = new Rng(9, Number(k), TEMPLATE_STREAMS);
      assert.equal(Number(n), 1 + Math.floor(rng.next() * 1000000), x.path);
    }
    assert.equal(new Set(seen.map((x) => x.path.split('/')[3])).size, seen.length, 'each arrival number once');
  });
});

describe('compiled forms', () => {
  const s = () => scenarioFrom(head('[vars]\nv = "x y"\n[[requests]]\nname = "static"\npath = "/s"\nheaders = { A = "1" }\n' +
    '[[requests]]\nname = "constant"\npath = "/c/{{ url_encode(v) }}"\nheaders = { A = "{{ env.K }}" }\n' +
    '[[requests]]\nname = "dynamic"\npath = "/d/{{ vu }}"\n[runtime]\nduration_seconds = 1\n'));

  test('a request without templates gets exactly its static options and no renderer', () => {
    const sc = s();
    const c = compileRequest(sc.requests[0]!, '/base', scopeOf(sc, {}), { mask: false });
    assert.equal(c.render, undefined);
    assert.deepEqual(c.opts, dispatchOptions(sc.requests[0]!));
  });

  test('templates of constants ([vars], env) are folded into the static options: no renderer', () => {
    const sc = s();
    const c = compileRequest(sc.requests[1]!, '/base', scopeOf(sc, { K: 'k' }), { mask: false });
    assert.equal(c.render, undefined);
    assert.equal(c.opts.path, '/base/c/x%20y');
    assert.equal((c.opts.headers as Record<string, string>).A, 'k');
  });

  test('per-request values need a renderer', () => {
    const sc = s();
    assert.equal(typeof compileRequest(sc.requests[2]!, '/base', scopeOf(sc, {}), { mask: false }).render, 'function');
  });
});
