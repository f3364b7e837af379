/**
 * One HTTP/2 connection slot, on Node's own http2 client, behind undici's core dispatch-handler
 * interface so the VU code is the same for both protocols.
 *
 * Why not undici's HTTP/2: on a graceful GOAWAY (NO_ERROR, as nginx sends every 1,000 requests)
 * undici 7 destroys the socket at once and fails a request the server had already answered.
 * RFC 9113 §6.8 says the opposite: streams up to the GOAWAY's last-stream-id are still processed
 * and complete; those above it were never processed and may be retried on a new connection.
 * Node's client does exactly that (it closes the session gracefully and refuses the streams above
 * the id with REFUSED_STREAM), so here:
 * - a GOAWAY retires the session: its streams finish, new requests open a new session;
 * - a stream refused before any response (REFUSED_STREAM) is sent again on a new session, up
 *   to MAX_REFUSED times; its latency and deadline keep running from the first try;
 * - many VUs multiplex their streams on one session (Node queues streams above the server's
 *   SETTINGS_MAX_CONCURRENT_STREAMS until one closes).
 */
import http2, { type ClientHttp2Session, type ClientHttp2Stream, type OutgoingHttpHeaders } from 'node:http2';
import type { Dispatcher } from 'undici';
import type { Scenario } from '../scenario/model';
import type { ConnectorOptions } from './connector';
import { readCaBundle } from './connector';

const { NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM } = http2.constants;
const MAX_REFUSED = 3;
/** Connection-specific header fields are forbidden in HTTP/2 (RFC 9113 §8.2.2). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']);

type Handler = Dispatcher.DispatchHandler & {
  onConnect(abort: (err?: Error) => void): void;
  onHeaders(status: number, headers: Buffer[], resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: Buffer[]): void;
  onError(err: Error): void;
};

class H2Error extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** What the connection needs of the scenario, computed once per run and shared by all slots. */
export interface H2Options {
  origin: string;
  connect: http2.SecureClientSessionOptions;
  connectTimeoutMs: number;
  onConnect: (us: number) => void;
}

export function h2Options(scenario: Scenario, opts: ConnectorOptions): H2Options {
  const t = scenario.target;
  const ca = t.tls ? readCaBundle(scenario) : undefined;
  return {
    origin: t.origin,
    connect: {
      settings: { enablePush: false },
      ...(t.tls ? { rejectUnauthorized: t.verifyCert, ...(ca ? { ca } : {}) } : {}),
    },
    connectTimeoutMs: t.connectionTimeoutMs,
    onConnect: opts.onConnect,
  };
}

interface Pending {
  opts: Dispatcher.DispatchOptions;
  handler: Handler;
  attempt: number;
}

export class H2Connection {
  destroyed = false;
  private readonly o: H2Options;
  /** The session new requests go to; undefined until the first one, or after GOAWAY/close. */
  private current: Session | undefined;
  private readonly sessions = new Set<Session>();
  /** Headers of each request's dispatch options, converted to HTTP/2 once. */
  private readonly headerCache = new WeakMap<Dispatcher.DispatchOptions, OutgoingHttpHeaders>();

  constructor(o: H2Options) {
    this.o = o;
  }

  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.submit({ opts, handler: handler as Handler, attempt: 0 });
    return true;
  }

  submit(p: Pending): void {
    if (this.destroyed) throw new H2Error('UND_ERR_DESTROYED', 'the connection was closed');
    let s = this.current;
    if (s === undefined || s.retired) s = this.current = new Session(this, this.o);
    this.sessions.add(s);
    s.submit(p);
  }

  headersOf(opts: Dispatcher.DispatchOptions): OutgoingHttpHeaders {
    let h = this.headerCache.get(opts);
    if (h !== undefined) return h;
    h = { ':method': opts.method, ':path': opts.path };
    for (const [k, v] of Object.entries((opts.headers ?? {}) as Record<string, string>)) {
      const name = k.toLowerCase();
      if (HOP_BY_HOP.has(name)) continue;
      if (name === 'host') h[':authority'] = v;
      else h[name] = v;
    }
    const body = opts.body as Buffer | null | undefined;
    if (body && h['content-length'] === undefined) h['content-length'] = body.length;
    this.headerCache.set(opts, h);
    return h;
  }

  /** A session is gone for good: drop it, and stop sending new requests to it. */
  forget(s: Session): void {
    this.sessions.delete(s);
    if (this.current === s) this.current = undefined;
  }

  destroy(): Promise<void> {
    this.destroyed = true;
    const closing = [...this.sessions].map((s) => s.destroy());
    this.current = undefined;
    return Promise.all(closing).then(() => undefined);
  }
}

/** One HTTP/2 session (one TCP or TLS connection) of an H2Connection. */
class Session {
  /** No new streams: GOAWAY received, closed, or failed. */
  retired = false;
  private readonly conn: H2Connection;
  private readonly session: ClientHttp2Session;
  /** The server's SETTINGS arrived: streams can start. */
  private connected = false;
  private pending: Pending[] = [];
  private error: Error | undefined;
  private readonly closed: Promise<void>;

  constructor(conn: H2Connection, o: H2Options) {
    this.conn = conn;
    const t0 = performance.now();
    const session = (this.session = http2.connect(o.origin, o.connect));
    const timer = setTimeout(
      () => session.destroy(new H2Error('UND_ERR_CONNECT_TIMEOUT', `connect timeout after ${o.connectTimeoutMs} ms`)),
      o.connectTimeoutMs,
    );
    // Open once the server's SETTINGS arrive: then it surely speaks HTTP/2. A server that does
    // not fails the connect (no request was sent), so its VUs back off as for a refused port.
    session.once('remoteSettings', () => {
      clearTimeout(timer);
      this.connected = true;
      o.onConnect((performance.now() - t0) * 1000);
      const waiting = this.pending;
      this.pending = [];
      for (const p of waiting) this.start(p);
    });
    session.on('error', (err) => (this.error ??= this.connected ? err : notH2(err)));
    session.on('goaway', () => this.retire());
    this.closed = new Promise((resolve) =>
      session.once('close', () => {
        clearTimeout(timer);
        this.retire();
        this.conn.forget(this);
        const waiting = this.pending;
        this.pending = [];
        const err = this.error ?? new H2Error('UND_ERR_SOCKET', 'the connection closed before it opened');
        for (const p of waiting) p.handler.onError(err);
        resolve();
      }),
    );
  }

  private retire(): void {
    this.retired = true;
    this.conn.forget(this);
  }

  submit(p: Pending): void {
    if (this.connected) this.start(p);
    else this.pending.push(p);
  }

  destroy(): Promise<void> {
    this.session.destroy(new H2Error('UND_ERR_DESTROYED', 'the connection was closed'));
    return this.closed;
  }

  private start(p: Pending): void {
    const { opts, handler } = p;
    const body = opts.body as Buffer | null | undefined;
    let stream: ClientHttp2Stream;
    try {
      stream = this.session.request(this.conn.headersOf(opts), { endStream: !body });
    } catch (e) {
      // The session went away between connect and now (GOAWAY, close): try a new one.
      this.retire();
      if (p.attempt < MAX_REFUSED && !this.conn.destroyed) this.conn.submit({ ...p, attempt: p.attempt + 1 });
      else handler.onError(e as Error);
      return;
    }
    let done = false;
    let responded = false;
    let streamError: Error | undefined;
    handler.onConnect((err?: Error) => {
      if (done) return;
      done = true;
      stream.close(NGHTTP2_CANCEL);
      handler.onError(err ?? new H2Error('UND_ERR_ABORTED', 'request aborted'));
    });
    stream.on('response', (headers) => {
      responded = true;
      if (done) return;
      const status = Number(headers[':status']);
      // Only a redirect's headers are read (its Location), so only those are passed on.
      handler.onHeaders(status, status > 300 && status < 400 ? rawHeaders(headers) : NO_HEADERS, noop, '');
    });
    stream.on('data', (chunk: Buffer) => {
      if (!done) handler.onData(chunk);
    });
    stream.on('end', () => {
      if (done) return;
      done = true;
      handler.onComplete([]);
    });
    stream.on('error', (err) => (streamError ??= err));
    stream.on('close', () => {
      if (done) return;
      done = true;
      if (!responded && stream.rstCode === NGHTTP2_REFUSED_STREAM && p.attempt < MAX_REFUSED && !this.conn.destroyed) {
        // Never processed by the server (RFC 9113 §8.7): safe to send again on a new session.
        this.retire();
        this.conn.submit({ ...p, attempt: p.attempt + 1 });
        return;
      }
      handler.onError(streamError ?? this.error ?? new H2Error('ERR_HTTP2_STREAM_ERROR', `stream closed with code ${stream.rstCode}`));
    });
    if (body) stream.end(body);
  }
}

/** A session that failed before any HTTP/2 frame from the server: say that plainly. */
function notH2(err: Error): Error {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('ERR_SSL') && !/NO_APPLICATION_PROTOCOL/.test(code)) return err; // a TLS problem
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'UND_ERR_CONNECT_TIMEOUT' || code.startsWith('EAI_') || code.startsWith('ERR_TLS')) return err;
  return new H2Error('ERR_HTTP2_ERROR', `not an HTTP/2 server (${code || err.message}): TLS needs ALPN "h2", http:// needs h2c prior knowledge; or use http_version = "http1.1"`);
}

function noop(): void {}

const NO_HEADERS: Buffer[] = [];

function rawHeaders(headers: http2.IncomingHttpHeaders): Buffer[] {
  const out: Buffer[] = [];
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':') && v !== undefined) out.push(Buffer.from(k), Buffer.from(String(v)));
  return out;
}
