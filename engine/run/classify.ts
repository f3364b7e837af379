/**
 * Maps an error from undici or the socket to one failure kind (decisions §3), by its code first
 * and its message as a fallback. Anything unknown is 'other', with the message kept as a sample.
 */
import type { FailureKind } from '../metrics/results-types';

/** Thrown by the runner itself when a request's whole-request deadline passes. */
export class RequestTimeoutError extends Error {
  readonly code = 'Z6_REQUEST_TIMEOUT';
  constructor(ms: number) {
    super(`no complete response within ${ms} ms`);
    this.name = 'RequestTimeoutError';
  }
}

const CONNECT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EADDRINUSE', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'ENETDOWN', 'EHOSTDOWN']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'Z6_REQUEST_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_SESSION_ERROR', 'UND_ERR_CLOSED']);
const PROTOCOL = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_RES_EXCEEDED_MAX_SIZE', 'UND_ERR_HEADERS_OVERFLOW', 'ERR_HTTP2_PROTOCOL_ERROR', 'ERR_HTTP2_INVALID_HEADER_VALUE', 'ERR_HTTP2_ERROR']);
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL_|HOSTNAME_MISMATCH)/;

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e && e.cause && typeof e.cause.code === 'string') return e.cause.code;
  return '';
}

export function classifyError(err: unknown): FailureKind {
  const code = codeOf(err);
  // undici's HTTPParserError carries an HPE_* code only for some parser states.
  if (code.startsWith('HPE_') || (err as Error | null)?.name === 'HTTPParserError') return 'protocol';
  if (CONNECT.has(code)) return 'connect';
  if (DNS.has(code)) return 'dns';
  if (TIMEOUT.has(code)) return 'timeout';
  if (TLS_CODES.test(code)) return 'tls';
  if (RESET.has(code)) return 'reset';
  if (PROTOCOL.has(code)) return 'protocol';
  const msg = err instanceof Error ? err.message : String(err);
  if (/ssl|tls|certificate/i.test(msg) || code === 'EPROTO') return 'tls';
  if (/parse error|malformed|invalid (header|status|response)/i.test(msg)) return 'protocol';
  if (/socket hang up|other side closed|reset/i.test(msg)) return 'reset';
  if (/timeout|timed out/i.test(msg)) return 'timeout';
  return 'other';
}

/** A short message for the failure samples: code and message, no stack. */
export function describeError(err: unknown): string {
  const code = codeOf(err);
  const msg = err instanceof Error ? err.message : String(err);
  const name = (err as Error | null)?.name;
  const label = code || (name && name !== 'Error' ? name : '');
  const text = label && !msg.includes(label) ? `${label}: ${msg}` : msg;
  return text.length > 200 ? text.slice(0, 197) + '...' : text;
}
