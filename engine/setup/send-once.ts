/**
 * One request sent on its own, outside the load (setup and teardown): on a connection of the
 * run's kind (HTTP/1.1 or HTTP/2, TLS as the target says), with its timeout, following
 * redirects within the target, and reading the whole response into a ResponseView. Not the VU
 * hot path: clarity over speed.
 */
import type { Dispatcher } from 'undici';
import type { Connection } from '../run/connections';
import { describeError, RequestTimeoutError } from '../run/classify';
import { isRedirect, locationOf, nextHop } from '../run/redirects';
import type { CookieJar } from '../session/cookies';
import type { ResponseView } from '../session/response-view';
// The run's clock (engine/run/clock.ts): real time, or a simulated run's virtual time.
import { clearTimeout, clockEpochMs, performance, setTimeout } from '../run/clock';

export interface SendOnceOptions {
  conn: Connection;
  opts: Dispatcher.DispatchOptions;
  timeoutMs: number;
  origin: string;
  maxRedirects: number;
  jar: CookieJar;
  response: ResponseView;
  signal?: AbortSignal;
}

/** Resolves with the final status once the response is read, or with an error message. */
export async function sendOnce(o: SendOnceOptions): Promise<{ status: number; latencyMs: number } | { error: string }> {
  const started = performance.now();
  let opts = withCookies(o.opts, o.jar);
  for (let hop = 0; ; hop++) {
    o.response.reset();
    const r = await dispatchOne(o.conn, opts, o.timeoutMs - (performance.now() - started), o.response, o.jar, o.signal);
    if ('error' in r) return r;
    const location = isRedirect(r.status) && o.maxRedirects > 0 ? r.location : null;
    const next = location === null ? null : nextHop(opts, r.status, location, o.origin);
    if (next === null) return { status: r.status, latencyMs: performance.now() - started };
    if (hop >= o.maxRedirects) return { error: `more than ${o.maxRedirects} redirects (the last to ${location})` };
    opts = withCookies(next, o.jar);
  }
}

function withCookies(opts: Dispatcher.DispatchOptions, jar: CookieJar): Dispatcher.DispatchOptions {
  const cookie = jar.header();
  if (cookie === null) return opts;
  const headers: Record<string, string> = {};
  let own: string | undefined;
  for (const [k, v] of Object.entries((opts.headers ?? {}) as Record<string, string>)) {
    if (k.toLowerCase() === 'cookie') own = v;
    else headers[k] = v;
  }
  headers.cookie = own ? `${own}; ${cookie}` : cookie;
  return { ...opts, headers };
}

function dispatchOne(conn: Connection, opts: Dispatcher.DispatchOptions, timeoutMs: number, response: ResponseView, jar: CookieJar, signal?: AbortSignal): Promise<{ status: number; location: string | null } | { error: string }> {
  return new Promise((resolve) => {
    let abort: ((e?: Error) => void) | null = null;
    let done = false;
    let status = 0;
    let location: string | null = null;
    const finish = (v: { status: number; location: string | null } | { error: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const timer = setTimeout(() => {
      const err = new RequestTimeoutError(timeoutMs);
      if (abort) abort(err);
      finish({ error: describeError(err) });
    }, Math.max(1, timeoutMs));
    const onAbort = () => {
      abort?.(new Error('cancelled'));
      finish({ error: 'cancelled' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const handler = {
      onConnect(a: (e?: Error) => void) {
        abort = a;
      },
      onHeaders(code: number, raw: Buffer[] | null) {
        if (code < 200) return true;
        status = code;
        response.setHeaders(code, raw);
        const now = clockEpochMs();
        for (const c of response.headers('set-cookie')) jar.set(c, now);
        location = locationOf(raw);
        return true;
      },
      onData(chunk: Buffer) {
        response.addBody(chunk);
        return true;
      },
      onComplete() {
        finish({ status, location });
      },
      onError(err: Error) {
        finish({ error: describeError(err) });
      },
    };
    try {
      conn.dispatch(opts, handler as unknown as Dispatcher.DispatchHandler);
    } catch (e) {
      finish({ error: describeError(e) });
    }
  });
}
