/**
 * Which targets count as "this machine" (decisions §5: the first run against any other host
 * asks first, because a load test sends real traffic). vscode-free, so it is unit-tested.
 */

/** host[:port] of a base URL as shown to the user and remembered; undefined if it does not parse. */
export function targetHost(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).host || undefined;
  } catch {
    return undefined;
  }
}

/** localhost, 127.0.0.0/8, ::1 and IPv4-mapped 127.x — nothing that needs DNS to decide. */
export function isLoopbackHost(baseUrl: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  if (hostname === 'localhost' || hostname === 'localhost.') return true;
  if (hostname === '::1' || hostname === '0:0:0:0:0:0:0:1') return true;
  const v4 = hostname.replace(/^::ffff:/, '');
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  if (m && m.slice(1).every((o) => Number(o) <= 255)) return m[1] === '127';
  // URL normalises ::ffff:127.0.0.1 to ::ffff:7f00:1.
  const mapped = /^::ffff:7f([0-9a-f]{2}):[0-9a-f]{1,4}$/.exec(hostname);
  return mapped !== null;
}
