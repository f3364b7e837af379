/**
 * Lets an HTTP/1.1 connection accept an unsolicited `100 Continue`.
 *
 * RFC 9110 §15.2: a client must be able to parse one or more 1xx responses before the final one,
 * even if it did not expect them. undici 7 takes every other 1xx, but destroys the socket on a
 * 100 it did not ask for ("bad response"), so each such request would fail as a reset. Z6 never
 * sends `Expect: 100-continue`, so a 100 carries nothing for it: this filter drops 100 responses
 * that come where a response starts, before undici's parser sees the bytes.
 *
 * A response starts at the first byte read after a request was written (Z6 does not pipeline:
 * one request at a time per connection). undici's parser pulls bytes with `socket.read()`, so
 * the filter wraps that method of the one socket; nothing else changes.
 */
import type { Duplex } from 'node:stream';

const END = Buffer.from('\r\n\r\n');
/** "HTTP/1.x 100" and the byte after it (a space, or CR when the reason phrase is empty). */
const PREFIX = Buffer.from('HTTP/1.x 100 ');
const PREFIX_LEN = PREFIX.length;

/** Byte i of the prefix matches (any minor version; space or CR after the code). */
function matches(b: Buffer, i: number): boolean {
  if (i === 7) return b[i] === 0x30 || b[i] === 0x31;
  if (i === 12) return b[i] === 0x20 || b[i] === 0x0d;
  return b[i] === PREFIX[i];
}

/** Starts with a whole 100 status line prefix (no allocation: this runs once per response). */
function is100(b: Buffer): boolean {
  for (let i = 0; i < PREFIX_LEN; i++) if (!matches(b, i)) return false;
  return true;
}

/** Could `b` (shorter than the prefix) still turn into a 100 status line? */
function mayBecome100(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (!matches(b, i)) return false;
  return true;
}

export function skipInterim100(socket: Duplex): void {
  const read = socket.read.bind(socket);
  const write = socket.write.bind(socket) as (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
  /** True from a request's first write until the first byte of a non-100 response. */
  let atResponseStart = false;
  let held: Buffer | null = null;

  // Fixed parameters, not a rest array: this runs for every write of every request.
  socket.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    atResponseStart = true;
    return write(chunk, encoding, cb);
  }) as typeof socket.write;

  socket.read = ((size?: number) => {
    if (!atResponseStart && held === null) return read(size);
    for (;;) {
      const chunk = read() as Buffer | null;
      if (chunk === null && held === null) return null;
      let b = held === null ? chunk! : chunk === null ? held : Buffer.concat([held, chunk]);
      held = null;
      // Drop every complete 100 response at the front.
      while (b.length >= PREFIX_LEN && is100(b)) {
        const end = b.indexOf(END);
        if (end < 0) break;
        b = b.subarray(end + END.length);
      }
      if (b.length === 0) {
        if (chunk === null) return null;
        continue;
      }
      if ((b.length < PREFIX_LEN && mayBecome100(b)) || (b.length >= PREFIX_LEN && is100(b))) {
        // Not enough bytes yet to tell, or a 100 whose end has not arrived: wait for more.
        held = b;
        if (chunk === null) return null;
        continue;
      }
      atResponseStart = false;
      return b;
    }
  }) as typeof socket.read;
}
