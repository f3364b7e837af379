/** Common request headers and values, for completion and hover inside `headers = { … }`. */

export const HEADER_DOCS: Readonly<Record<string, string>> = {
  Accept: 'Media types the client accepts in the response.',
  'Accept-Encoding': 'Content encodings the client accepts (compression).',
  'Accept-Language': 'Natural languages the client prefers.',
  Authorization: 'Credentials for the target, e.g. `Bearer <token>` or `Basic <base64>`.',
  'Cache-Control': 'Caching directives, e.g. `no-cache` to bypass caches during a test.',
  Connection: 'Connection options (HTTP/1.1 only); Z6 keeps connections alive by default.',
  'Content-Type': 'Media type of the request body.',
  Cookie: 'Cookies sent with the request.',
  'If-None-Match': 'Conditional request: only send the body when the ETag differs.',
  'If-Modified-Since': 'Conditional request: only send the body when changed since this date.',
  Origin: 'Origin of the request (CORS).',
  Referer: 'Address of the page that linked to the resource.',
  'User-Agent': 'Identifies the client; set one so the target\'s logs show load-test traffic.',
  'X-Api-Key': 'API key, for targets that authenticate with one.',
  'X-Request-Id': 'Correlation id for tracing a request through the target.',
  'X-Forwarded-For': 'Originating client address, as a proxy would add it.',
};

export const HEADER_VALUES: Readonly<Record<string, readonly string[]>> = {
  Accept: ['application/json', 'text/html', 'text/plain', 'application/xml', '*/*'],
  'Content-Type': [
    'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain',
    'application/xml', 'application/octet-stream', 'text/html',
  ],
  'Accept-Encoding': ['gzip, deflate, br', 'gzip', 'identity'],
  'Cache-Control': ['no-cache', 'no-store', 'max-age=0'],
  Connection: ['keep-alive', 'close'],
  Authorization: ['Bearer ', 'Basic '],
  'User-Agent': ['z6'],
};

/** Case-insensitive lookup of a header's canonical name. */
export function canonicalHeader(name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(HEADER_DOCS).find((h) => h.toLowerCase() === lower);
}
