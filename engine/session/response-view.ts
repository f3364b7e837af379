/**
 * What extraction and checks read from one response: status, headers, body and latency. One
 * object per VU, refilled for each response of a request that extracts or checks something
 * (requests that do neither never fill it). The body text and the parsed JSON are computed at
 * most once per response, when a first extraction or check asks for them.
 */
import { LIMITS } from '../scenario/schema';

/** json() of a body that is not JSON. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

export class ResponseView {
  status = 0;
  latencyMs = 0;
  /** undici's raw header list: name, value, name, value… (Buffers). */
  private raw: Buffer[] | null = null;
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private textCache: string | undefined = undefined;
  private jsonCache: unknown = undefined;
  private jsonDone = false;

  reset(): void {
    this.status = 0;
    this.raw = null;
    this.chunks.length = 0;
    this.bytes = 0;
    this.textCache = undefined;
    this.jsonCache = undefined;
    this.jsonDone = false;
  }

  setHeaders(status: number, raw: Buffer[] | null): void {
    this.status = status;
    this.raw = raw;
  }

  /** Keeps body bytes up to LIMITS.responseBodyBytes; beyond that they are counted by the recorder only. */
  addBody(chunk: Buffer): void {
    if (this.bytes >= LIMITS.responseBodyBytes) return;
    const room = LIMITS.responseBodyBytes - this.bytes;
    this.chunks.push(chunk.length <= room ? chunk : chunk.subarray(0, room));
    this.bytes += Math.min(chunk.length, room);
  }

  /** The first value of a header, case-insensitive; undefined when absent. */
  header(name: string): string | undefined {
    const raw = this.raw;
    if (raw === null) return undefined;
    const want = name.toLowerCase();
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (raw[i]!.length === want.length && raw[i]!.toString('latin1').toLowerCase() === want) return raw[i + 1]!.toString('latin1');
    }
    return undefined;
  }

  /** Every value of a header (Set-Cookie comes once per cookie). */
  headers(name: string): string[] {
    const out: string[] = [];
    const raw = this.raw;
    if (raw === null) return out;
    const want = name.toLowerCase();
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (raw[i]!.length === want.length && raw[i]!.toString('latin1').toLowerCase() === want) out.push(raw[i + 1]!.toString('latin1'));
    }
    return out;
  }

  /** The body as UTF-8 text. */
  text(): string {
    if (this.textCache === undefined) {
      this.textCache = this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks, this.bytes).toString('utf8');
    }
    return this.textCache;
  }

  /** The body parsed as JSON, or NOT_JSON. */
  json(): unknown {
    if (!this.jsonDone) {
      this.jsonDone = true;
      try {
        this.jsonCache = JSON.parse(this.text());
      } catch {
        this.jsonCache = NOT_JSON;
      }
    }
    return this.jsonCache;
  }
}
