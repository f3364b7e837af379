/**
 * A VU's cookie jar (target.cookies): what the target set with Set-Cookie, sent back as one
 * Cookie header. Every request goes to the one target origin, so Domain and Path are not
 * matched; expiry is (Max-Age ≤ 0 or an Expires in the past removes the cookie, RFC 6265 §5.3).
 * The Cookie header text is rebuilt only when the jar changes.
 */

export class CookieJar {
  private readonly cookies = new Map<string, string>();
  private cached: string | null = null;
  private dirty = false;

  get size(): number {
    return this.cookies.size;
  }

  /** The value of the Cookie header, or null when the jar is empty. */
  header(): string | null {
    if (this.dirty) {
      this.dirty = false;
      let s = '';
      for (const [k, v] of this.cookies) s += (s ? '; ' : '') + k + '=' + v;
      this.cached = s === '' ? null : s;
    }
    return this.cached;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Applies one Set-Cookie header value; `nowMs` is Date.now() for Expires. */
  set(setCookie: string, nowMs: number): void {
    const c = parseSetCookie(setCookie, nowMs);
    if (c === undefined) return;
    if (c.expired) {
      if (this.cookies.delete(c.name)) this.dirty = true;
    } else if (this.cookies.get(c.name) !== c.value) {
      this.cookies.set(c.name, c.value);
      this.dirty = true;
    }
  }

  clear(): void {
    if (this.cookies.size === 0) return;
    this.cookies.clear();
    this.dirty = true;
  }
}

export interface SetCookie {
  name: string;
  value: string;
  expired: boolean;
}

/** RFC 6265 §5.2, the parts a load generator needs: name, value, and whether it is already expired. */
export function parseSetCookie(header: string, nowMs: number): SetCookie | undefined {
  const parts = header.split(';');
  const pair = parts[0]!;
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const name = pair.slice(0, eq).trim();
  let value = pair.slice(eq + 1).trim();
  if (name === '') return undefined;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  let expired = false;
  let maxAgeSeen = false;
  for (let i = 1; i < parts.length; i++) {
    const a = parts[i]!;
    const k = a.indexOf('=');
    const key = (k < 0 ? a : a.slice(0, k)).trim().toLowerCase();
    const v = k < 0 ? '' : a.slice(k + 1).trim();
    if (key === 'max-age' && /^-?\d+$/.test(v)) {
      // Max-Age wins over Expires (§5.3 step 3).
      maxAgeSeen = true;
      expired = Number(v) <= 0;
    } else if (key === 'expires' && !maxAgeSeen) {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) expired = t <= nowMs;
    }
  }
  return { name, value, expired };
}
