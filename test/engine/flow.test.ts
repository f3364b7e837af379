/**
 * A user journey against a loopback shop that enforces it: POST /login answers a token (JSON)
 * and a session cookie; GET /items/{id} needs both (401 without); POST /orders answers 201 with
 * the new order in Location; GET {that Location} must be an order the shop issued to that session.
 * The shop keeps its own log, so the test checks on the server side that every token, cookie
 * and order id the VUs sent was one it issued — and, for checks, it answers a known share
 * wrongly so the counts can be compared exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runScenario } from '../../engine/run';
import { assertAccounted, httpServer, scenarioFrom, type Listening } from './helpers';

interface Shop {
  /** token → session id */
  tokens: Map<string, string>;
  /** order id → session id */
  orders: Map<string, string>;
  unauthorized: number;
  /** Order ids GET /orders/{id} was asked for. */
  ordersRead: string[];
  itemsServed: number;
  /** Every Nth item answer says ok = false (0: never). */
  wrongEvery: number;
  logins: number;
  fixtures: Set<string>;
  fixtureReads: number;
  flakyCalls: number;
  used: string[];
}

const shop: Shop = { tokens: new Map(), orders: new Map(), unauthorized: 0, ordersRead: [], itemsServed: 0, wrongEvery: 0, logins: 0, fixtures: new Set(), fixtureReads: 0, flakyCalls: 0, used: [] };
let server: Listening;

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name) return v;
  }
  return undefined;
}

/** The session of an authorised request: bearer token and sid cookie must both be issued, and match. */
function session(req: IncomingMessage): string | undefined {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const sid = cookieOf(req, 'sid');
  if (token === undefined || sid === undefined) return undefined;
  return shop.tokens.get(token) === sid ? sid : undefined;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

before(async () => {
  let next = 1;
  server = await httpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = req.url!;
      if (req.method === 'POST' && url === '/login') {
        shop.logins++;
        const user = (JSON.parse(body) as { user: string }).user;
        const token = `t${next++}-${user}`;
        const sid = `s${next++}`;
        shop.tokens.set(token, sid);
        return json(res, 200, { token, user }, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly` });
      }
      if (url === '/sso') {
        // A login that answers with a redirect: the cookie comes on the 302.
        const sid = `s${next++}`;
        shop.tokens.set(`sso-${sid}`, sid);
        // With a body, as Express sends one: it is not the response extraction reads.
        res.writeHead(302, { location: '/welcome', 'set-cookie': `sid=${sid}; Path=/`, 'content-length': 30 });
        return res.end('Found. Redirecting to /welcome');
      }
      if (url === '/welcome') return json(res, 200, { welcome: true });
      if (url === '/flaky-token') {
        // Calls 1, 3, 5… answer a token; 2, 4, 6… a 503 without one.
        return ++shop.flakyCalls % 2 === 1 ? json(res, 200, { token: `ft${shop.flakyCalls}` }) : json(res, 503, { error: 'busy' });
      }
      if (url.startsWith('/use/')) {
        shop.used.push(url.slice(5));
        return json(res, 200, {});
      }
      if (url === '/whoami?w=true') {
        const sid = cookieOf(req, 'sid');
        return sid !== undefined && shop.tokens.get(`sso-${sid}`) === sid ? json(res, 200, { sid }) : json(res, 401, {});
      }
      if (req.method === 'POST' && url === '/admin/login') {
        return body.includes('"pw": "right"') ? json(res, 200, { admin: 'adm-77' }) : json(res, 401, { error: 'bad password' });
      }
      if (url.startsWith('/fixtures')) {
        if (req.headers['x-admin'] !== 'adm-77') return json(res, 403, { error: 'admin only' });
        if (req.method === 'POST') {
          const id = `f${next++}`;
          shop.fixtures.add(id);
          return json(res, 201, { id });
        }
        if (req.method === 'GET') {
          shop.fixtureReads++;
          return json(res, shop.fixtures.has(url.slice('/fixtures/'.length)) ? 200 : 404, {});
        }
        if (req.method === 'DELETE') {
          shop.fixtures.delete(url.slice('/fixtures/'.length));
          res.writeHead(204);
          return res.end();
        }
      }
      const sid = session(req);
      if (sid === undefined) {
        shop.unauthorized++;
        return json(res, 401, { error: 'unauthorized' });
      }
      let m: RegExpExecArray | null;
      if (req.method === 'GET' && (m = /^\/items\/(\d+)$/.exec(url))) {
        shop.itemsServed++;
        const ok = !(shop.wrongEvery > 0 && shop.itemsServed % shop.wrongEvery === 0);
        return json(res, 200, { id: Number(m[1]), ok });
      }
      if (req.method === 'POST' && url === '/orders') {
        const id = `o${next++}`;
        shop.orders.set(id, sid);
        res.writeHead(201, { location: `/orders/${id}`, 'content-length': 0 });
        return res.end();
      }
      if (req.method === 'GET' && (m = /^\/orders\/(\w+)$/.exec(url))) {
        shop.ordersRead.push(m[1]!);
        return shop.orders.get(m[1]!) === sid ? json(res, 200, { id: m[1] }) : json(res, 404, { error: 'no such order' });
      }
      json(res, 404, { error: 'not found' });
    });
  });
});

after(() => server.close());

function reset(wrongEvery = 0): void {
  shop.tokens.clear();
  shop.orders.clear();
  shop.unauthorized = 0;
  shop.ordersRead.length = 0;
  shop.itemsServed = 0;
  shop.logins = 0;
  shop.wrongEvery = wrongEvery;
  shop.fixtures.clear();
  shop.fixtureReads = 0;
  shop.flakyCalls = 0;
  shop.used.length = 0;
}

const JOURNEY = (extra = '') => `
[target]
base_url = "${server.url}"

[runtime]
vus = 5
iterations = 4
prng_seed = 7

[vars]
user = "ann"

[[requests]]
name = "login"
method = "POST"
path = "/login"
headers = { Content-Type = "application/json" }
body = '{"user": "{{ user }}"}'

[requests.extract]
token = { json = "$.token", secret = true }

[[requests]]
name = "item"
path = "/items/{{ random_int(1, 100) }}"
headers = { Authorization = "Bearer {{ token }}" }

[requests.checks]
"item ok" = { json = "$.ok", equals = true }
"status 200" = { status = 200 }

[[requests]]
name = "order"
method = "POST"
path = "/orders"
headers = { Authorization = "Bearer {{ token }}" }

[requests.extract]
order_url = { header = "Location" }

[[requests]]
name = "read_order"
path = "{{ order_url }}"
headers = { Authorization = "Bearer {{ token }}" }

[sequence]
[[sequence.steps]]
request = "login"
[[sequence.steps]]
request = "item"
[[sequence.steps]]
request = "order"
[[sequence.steps]]
request = "read_order"
${extra}`;

describe('a journey with extraction and a cookie jar', () => {
  test('login → item → order → read it: no 401, every id used was issued to that session', async () => {
    reset();
    const r = await runScenario(scenarioFrom(JOURNEY()));
    assertAccounted(r);
    assert.equal(r.status, 'completed');
    // 5 VUs × 4 passes × 4 steps.
    assert.equal(r.totals.issued, 80);
    assert.equal(r.totals.succeeded, 80, JSON.stringify(r.failureSamples));
    assert.equal(shop.unauthorized, 0);
    assert.equal(r.statusCodes['401'], undefined);
    // A new login per pass (reset_state defaults to true), each with its own token and cookie.
    assert.equal(shop.logins, 20);
    assert.equal(shop.ordersRead.length, 20);
    assert.equal(new Set(shop.ordersRead).size, 20, 'each pass read the order it created');
    for (const id of shop.ordersRead) assert.ok(shop.orders.has(id), `order ${id} was issued by the shop`);
    assert.equal(r.statusCodes['200'], 60);
    assert.equal(r.statusCodes['201'], 20);
  });

  test('without the cookie jar the shop answers 401 to every authorised call', async () => {
    reset();
    const r = await runScenario(scenarioFrom(JOURNEY().replace(`base_url = "${server.url}"`, `base_url = "${server.url}"\ncookies = false`)));
    assertAccounted(r);
    // item and order get 401; read_order then has no order_url (cleared by the failed extraction): kind template.
    assert.equal(shop.unauthorized, 40);
    assert.equal(r.requests.find((q) => q.name === 'read_order')!.failures.template, 20);
  });
});

describe('the VU\'s state', () => {
  test('a cookie set on a redirect is kept and sent on the next request; extraction reads the final response', async () => {
    reset();
    const r = await runScenario(scenarioFrom(`[target]\nbase_url = "${server.url}"\n[runtime]\nvus = 2\niterations = 3\n` +
      `[[requests]]\nname = "sso"\npath = "/sso"\n[requests.extract]\nw = { json = "$.welcome" }\n[[requests]]\nname = "whoami"\npath = "/whoami?w={{ w }}"\n` +
      `[sequence]\n[[sequence.steps]]\nrequest = "sso"\n[[sequence.steps]]\nrequest = "whoami"\n`));
    assertAccounted(r);
    assert.equal(r.totals.redirects, 6);
    assert.equal(r.totals.succeeded, 12, JSON.stringify(r.statusCodes));
  });

  test('an extraction that finds nothing clears the value: no stale token is sent', async () => {
    reset();
    const r = await runScenario(scenarioFrom(`[target]\nbase_url = "${server.url}"\n[runtime]\nvus = 1\niterations = 6\n` +
      `[[requests]]\nname = "token"\npath = "/flaky-token"\n[requests.extract]\nt = { json = "$.token" }\n` +
      `[[requests]]\nname = "use"\npath = "/use/{{ t }}"\n` +
      `[sequence]\nreset_state = false\n[[sequence.steps]]\nrequest = "token"\n[[sequence.steps]]\nrequest = "use"\n`));
    assertAccounted(r);
    assert.deepEqual(shop.used, ['ft1', 'ft3', 'ft5']);
    assert.equal(r.requests.find((q) => q.name === 'use')!.failures.template, 3);
  });

  test('reset_state: a pass starts without the last pass\'s values (true), or keeps them (false)', async () => {
    // read_order comes first in the pass and uses what the previous pass's order extracted.
    const text = (reset: boolean) => JOURNEY().replace(/\[sequence\][\s\S]*$/, `[sequence]\nreset_state = ${reset}\n` +
      '[[sequence.steps]]\nrequest = "login"\n[[sequence.steps]]\nrequest = "read_order"\n[[sequence.steps]]\nrequest = "order"\n');
    reset();
    const fresh = await runScenario(scenarioFrom(text(true)));
    assert.equal(fresh.requests.find((q) => q.name === 'read_order')!.failures.template, 20, 'every pass starts without order_url');
    reset();
    const kept = await runScenario(scenarioFrom(text(false)));
    const read = kept.requests.find((q) => q.name === 'read_order')!;
    // Only each VU's first pass lacks it. The later reads use the order of the pass before, made
    // with that pass's login: the shop checks the session, so they are 404s — read with the right id.
    assert.equal(read.failures.template, 5);
    assert.equal(shop.ordersRead.length, 15);
    for (const id of shop.ordersRead) assert.ok(shop.orders.has(id));
  });
});

describe('checks', () => {
  test('counted exactly: the shop answers every 4th item wrongly', async () => {
    reset(4);
    const r = await runScenario(scenarioFrom(JOURNEY(`[assertions]\nchecks_pass_rate_min = 0.9\n`)));
    assertAccounted(r);
    const itemOk = r.checks!.find((c) => c.name === 'item ok')!;
    const status = r.checks!.find((c) => c.name === 'status 200')!;
    assert.equal(itemOk.request, 'item');
    assert.equal(itemOk.passed + itemOk.failed, 20);
    assert.equal(itemOk.failed, 5);
    assert.equal(itemOk.passRate, 0.75);
    assert.equal(status.passed, 20);
    assert.equal(status.failed, 0);
    assert.deepEqual(r.totals.checks, { passed: 35, failed: 5, passRate: 0.875 });
    // A failed check does not fail the request.
    assert.equal(r.totals.failed, 0);
    // Per second: the series adds up to the totals.
    const perSecond = r.timeseries.reduce((a, s) => [a[0]! + (s.checksPassed ?? 0), a[1]! + (s.checksFailed ?? 0)], [0, 0]);
    assert.deepEqual(perSecond, [35, 5]);
    const a = r.assertions.find((x) => x.key === 'checks_pass_rate_min')!;
    assert.equal(a.actual, 0.875);
    assert.equal(a.pass, false);
  });

  test('per-request assertions and a check\'s pass_rate_min are scoped, and fail on their own figures', async () => {
    reset(4);
    const text = JOURNEY()
      .replace('"item ok" = { json = "$.ok", equals = true }', '"item ok" = { json = "$.ok", equals = true, pass_rate_min = 0.8 }')
      .replace('[[requests]]\nname = "order"', '[requests.assertions]\nerror_rate_max = 0\np99_latency_ms = 10000\n\n[[requests]]\nname = "order"');
    const r = await runScenario(scenarioFrom(text));
    const scoped = r.assertions.filter((a) => a.scope);
    assert.deepEqual(scoped.map((a) => [a.scope!.request, a.scope!.check, a.key, a.pass]), [
      ['item', undefined, 'p99_latency_ms', true],
      ['item', undefined, 'error_rate_max', true],
      ['item', 'item ok', 'pass_rate_min', false],
    ]);
    assert.equal(scoped[2]!.actual, 0.75);
  });

  test('on_fail = "skip_iteration": a failed check skips the rest of the pass', async () => {
    reset(2);
    const text = JOURNEY().replace('"item ok" = { json = "$.ok", equals = true }', '"item ok" = { json = "$.ok", equals = true, on_fail = "skip_iteration" }');
    const r = await runScenario(scenarioFrom(text));
    assertAccounted(r);
    const itemOk = r.checks!.find((c) => c.name === 'item ok')!;
    const orders = r.requests.find((q) => q.name === 'order')!.issued;
    // Every pass that got a wrong item skipped order and read_order.
    assert.equal(orders, itemOk.passed);
    assert.equal(r.requests.find((q) => q.name === 'read_order')!.issued, itemOk.passed);
    assert.ok(itemOk.failed > 0);
    assert.equal(r.requests.find((q) => q.name === 'login')!.issued, 20);
  });
});

describe('setup and teardown', () => {
  const SCENARIO = (pw: string) => `
[target]
base_url = "${server.url}"

[runtime]
vus = 3
iterations = 5

[[setup]]
name = "admin login"
method = "POST"
path = "/admin/login"
body = '{"pw": "${pw}"}'
[setup.extract]
admin = { json = "$.admin", secret = true }

[[setup]]
name = "create fixture"
method = "POST"
path = "/fixtures"
headers = { X-Admin = "{{ admin }}" }
[setup.extract]
fixture = { json = "$.id" }
[setup.checks]
"created" = { status = 201 }

[[requests]]
name = "read fixture"
path = "/fixtures/{{ fixture }}"
headers = { X-Admin = "{{ admin }}" }

[[teardown]]
name = "delete fixture"
method = "DELETE"
path = "/fixtures/{{ fixture }}"
headers = { X-Admin = "{{ admin }}" }
`;

  test('setup values are constants for every VU and for teardown, which cleans up', async () => {
    reset();
    const r = await runScenario(scenarioFrom(SCENARIO('right')));
    assertAccounted(r);
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.setup!.map((p) => [p.name, p.ok, p.status]), [['admin login', true, 200], ['create fixture', true, 201]]);
    assert.equal(r.totals.succeeded, 15, JSON.stringify(r.failureSamples));
    assert.equal(shop.fixtureReads, 15);
    // Setup requests are not load: only the 15 VU requests are counted.
    assert.equal(r.totals.issued, 15);
    assert.deepEqual(r.teardown!.map((p) => [p.name, p.ok, p.status, p.error]), [['delete fixture', true, 204, undefined]]);
    assert.equal(shop.fixtures.size, 0, 'teardown deleted the fixture');
  });

  test('a failing setup ends the run before any load, saying which request and why', async () => {
    reset();
    const r = await runScenario(scenarioFrom(SCENARIO('wrong')));
    assert.equal(r.status, 'error');
    assert.equal(r.error, 'setup request "admin login" failed: HTTP 401; extraction of \'admin\' found nothing');
    assert.equal(r.totals.issued, 0);
    assert.equal(shop.fixtureReads, 0);
    assert.deepEqual(r.setup!.map((p) => [p.name, p.ok]), [['admin login', false]]);
    assert.equal(r.teardown, undefined);
  });
});
