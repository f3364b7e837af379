/**
 * The error → failure-kind table for codes the loopback tests cannot produce on demand
 * (unreachable hosts, certificate name mismatches, HTTP/2 stream resets). The kinds that can be
 * produced for real are in failures.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyError, describeError, RequestTimeoutError } from '../../engine/run/classify';

const err = (code: string, message = 'x', name = 'Error') => Object.assign(new Error(message), { code, name });

test('codes map to kinds', () => {
  const cases: [unknown, string][] = [
    [err('EHOSTUNREACH'), 'connect'],
    [err('ENETUNREACH'), 'connect'],
    [err('UND_ERR_CONNECT_TIMEOUT'), 'connect'],
    [err('EAI_AGAIN'), 'dns'],
    [err('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    [err('CERT_HAS_EXPIRED'), 'tls'],
    [err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls'],
    [err('EPROTO', 'SSL routines::wrong version number'), 'tls'],
    [err('UND_ERR_HEADERS_TIMEOUT'), 'timeout'],
    [err('UND_ERR_BODY_TIMEOUT'), 'timeout'],
    [new RequestTimeoutError(250), 'timeout'],
    [err('ECONNRESET'), 'reset'],
    [err('UND_ERR_SOCKET', 'other side closed'), 'reset'],
    [err('ERR_HTTP2_STREAM_ERROR'), 'reset'],
    [err('HPE_INVALID_CONSTANT'), 'protocol'],
    [err('', 'Response does not match the HTTP/1.1 protocol', 'HTTPParserError'), 'protocol'],
    [err('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), 'protocol'],
    [err('SOMETHING_NEW', 'who knows'), 'other'],
    ['a string', 'other'],
    [null, 'other'],
  ];
  for (const [e, kind] of cases) assert.equal(classifyError(e), kind, String((e as { code?: string })?.code ?? e));
});

test('a cause with a code counts (undici wraps some errors)', () => {
  const e = Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
  assert.equal(classifyError(e), 'connect');
});

test('sample messages: code and message, no stack, bounded length', () => {
  assert.equal(describeError(err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')), 'connect ECONNREFUSED 127.0.0.1:1');
  assert.equal(describeError(err('UND_ERR_SOCKET', 'other side closed')), 'UND_ERR_SOCKET: other side closed');
  assert.equal(describeError(new RequestTimeoutError(250)), 'Z6_REQUEST_TIMEOUT: no complete response within 250 ms');
  assert.ok(describeError(new Error('y'.repeat(500))).length <= 200);
});
