/**
 * The template built-ins: names that are values (`vu`, `now`…) and functions (`uuid()`…). This
 * table is what the validator checks names and arities against, what the format reference
 * documents, and what the renderer calls. Random built-ins draw from the VU's template stream
 * only, so they are reproducible with the seed and never change the plan's choices.
 */
// The run's clock (engine/run/clock.ts): `now` in a simulated run is its virtual time.
import { clockDate, clockEpochMs, performance } from '../run/clock';
import type { TemplateState } from './state';

export type Value = string | number | boolean;

export interface Builtin {
  name: string;
  kind: 'value' | 'function';
  /** Argument count bounds (functions). */
  minArgs: number;
  maxArgs: number;
  signature: string;
  summary: string;
  example: string;
  /** Same arguments give the same result at any time: a call on constants is computed once. */
  pure: boolean;
  /** The result, or undefined with `s.missing` set when the arguments cannot be used. */
  call(s: TemplateState, args: readonly Value[]): Value | undefined;
}

const value = (name: string, summary: string, example: string, call: (s: TemplateState) => Value): Builtin =>
  ({ name, kind: 'value', minArgs: 0, maxArgs: 0, signature: name, summary, example, pure: false, call });

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(x: number): string {
  return HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

export const BUILTINS: readonly Builtin[] = [
  value('vu', 'Index of the VU sending the request, from 0 (open model: the in-flight slot).', 'path = "/cart/{{ vu }}"', (s) => s.vu),
  value('iteration', 'The VU\'s iteration, from 0 (a request, or a pass of the [sequence]; open model: the arrival number).', 'headers = { X-Iteration = "{{ iteration }}" }', (s) => s.iteration),
  value('elapsed', 'Seconds since the run started, with millisecond precision.', 'body = \'{"t": {{ elapsed }}}\'', (s) => Math.round(performance.now() - s.startMs) / 1000),
  value('now', 'The current time in ISO 8601 (UTC), e.g. 2026-01-31T12:00:00.000Z.', 'headers = { X-Sent-At = "{{ now }}" }', () => clockDate().toISOString()),
  value('now_ms', 'The current time in milliseconds since 1970 (Unix epoch).', 'path = "/events?since={{ now_ms }}"', () => clockEpochMs()),
  {
    name: 'random_int', kind: 'function', minArgs: 2, maxArgs: 2, signature: 'random_int(min, max)', pure: false,
    summary: 'A whole number from min to max (both included), drawn from the VU\'s seeded stream.',
    example: 'path = "/items/{{ random_int(1, 1000) }}"',
    call(s, [a, b]) {
      const lo = Number(a);
      const hi = Number(b);
      if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo > hi) {
        s.missing = 'random_int(min, max) needs whole numbers with min <= max';
        return undefined;
      }
      return lo + Math.floor(s.rng.next() * (hi - lo + 1));
    },
  },
  {
    name: 'random_choice', kind: 'function', minArgs: 1, maxArgs: 100, signature: 'random_choice(a, b, …)', pure: false,
    summary: 'One of its arguments, each equally likely, drawn from the VU\'s seeded stream.',
    example: 'path = "/search?q={{ random_choice(\'shoes\', \'hats\', \'socks\') }}"',
    call: (s, args) => args[Math.floor(s.rng.next() * args.length)]!,
  },
  {
    name: 'uuid', kind: 'function', minArgs: 0, maxArgs: 0, signature: 'uuid()', pure: false,
    summary: 'A random UUID (version 4 format) from the VU\'s seeded stream: the same seed gives the same UUIDs.',
    example: 'headers = { X-Request-Id = "{{ uuid() }}" }',
    call(s) {
      const r = s.rng;
      const a = r.nextU32();
      const b = ((r.nextU32() & 0xffff0fff) | 0x00004000) >>> 0;
      const c = ((r.nextU32() & 0x3fffffff) | 0x80000000) >>> 0;
      const d = r.nextU32();
      const h = hex32(b);
      const m = hex32(c);
      return `${hex32(a)}-${h.slice(0, 4)}-${h.slice(4)}-${m.slice(0, 4)}-${m.slice(4)}${hex32(d)}`;
    },
  },
  {
    name: 'url_encode', kind: 'function', minArgs: 1, maxArgs: 1, signature: 'url_encode(x)', pure: true,
    summary: 'x percent-encoded for a path segment or query value (as encodeURIComponent).',
    example: 'path = "/search?q={{ url_encode(query) }}"',
    call: (_s, [x]) => encodeURIComponent(String(x)),
  },
  {
    name: 'json_encode', kind: 'function', minArgs: 1, maxArgs: 1, signature: 'json_encode(x)', pure: true,
    summary: 'x as a JSON value: text in quotes with escapes, numbers and booleans as they are.',
    example: 'body = \'{"name": {{ json_encode(user) }}}\'',
    call: (_s, [x]) => JSON.stringify(x),
  },
];

export const BUILTIN_BY_NAME: ReadonlyMap<string, Builtin> = new Map(BUILTINS.map((b) => [b.name, b]));

/** The namespace of environment values: `env.NAME`. */
export const ENV = 'env';

/** Names a [vars] entry cannot take. */
export const RESERVED_NAMES: readonly string[] = [...BUILTINS.map((b) => b.name), ENV];
