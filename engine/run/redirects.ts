/**
 * Following redirects as k6 and browsers do (RFC 9110 §15.4), within the target: a VU's
 * connections are to one origin, so a redirect to another origin is not followed and its 3xx is
 * the response. Only called for a 3xx response with a Location header, never on the plain path.
 */
import type { Dispatcher } from 'undici';

/** Statuses that redirect with a Location (300 and 304 do not). */
export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The Location header of a response, from undici's raw header list (name, value, name, value…). */
export function locationOf(rawHeaders: readonly (Buffer | string)[] | null | undefined): string | null {
  if (!rawHeaders) return null;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 8 && name.toString('latin1').toLowerCase() === 'location') return rawHeaders[i + 1]!.toString();
  }
  return null;
}

const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);

/**
 * The next hop's dispatch options, or null when the Location leaves the target's origin (or is
 * not a URL). 303, and 301/302 after a POST, become a GET without body, as browsers and k6 do;
 * 307 and 308 repeat the method and body.
 */
export function nextHop(prev: Dispatcher.DispatchOptions, status: number, location: string, origin: string): Dispatcher.DispatchOptions | null {
  let url: URL;
  try {
    url = new URL(location, origin + prev.path);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const toGet = (status === 303 && prev.method !== 'HEAD') || ((status === 301 || status === 302) && prev.method === 'POST');
  if (!toGet) return { ...prev, path: url.pathname + url.search };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((prev.headers ?? {}) as Record<string, string>)) if (!BODY_HEADERS.has(k.toLowerCase())) headers[k] = v;
  return { ...prev, method: 'GET', path: url.pathname + url.search, headers, body: null };
}
