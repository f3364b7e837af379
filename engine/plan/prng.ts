/**
 * Seeded pseudo-random numbers for the plan. 32-bit integer arithmetic only (Math.imul), so a
 * draw costs a few ns and never allocates; BigInt generators are ~30x slower (performance.md §2e).
 *
 * One run seed (any integer up to 2^53 - 1) → an independent sfc32 stream per VU. A VU's choices
 * are therefore a pure function of (seed, VU index) and never depend on how fast other VUs get
 * responses.
 */

/** splitmix32: a bijective 32-bit mixer (add a constant, then murmur3's finaliser). */
export function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The family of the plan's streams (its value is the constant these streams have always used). */
export const PLAN_STREAMS = 0x6a09e667;
/** The family of the template built-ins' streams (random_int, random_choice, uuid). */
export const TEMPLATE_STREAMS = 0xbb67ae85 | 0;

/** sfc32 (Small Fast Chaotic), 128 bits of state in four int32 fields. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * The stream of `streamIndex` (a VU index, < 2^32) for `seed` (an integer 0..2^53 - 1).
   *
   * Each state word takes one part of the input through a bijective mixer: a from the low 32 bits
   * of the seed, b from the high 21 bits, c from the stream index (each xored with a mix of the
   * parts before it, which spreads them and keeps the map one-to-one). So distinct (seed, stream)
   * pairs start from distinct states, and as the sfc32 step is itself a bijection, they stay
   * distinct: no two seeds can share a stream, unlike folding the seed into 32 bits first.
   *
   * `family` separates independent families of streams for the same (seed, index): the plan's
   * (request choice, think time) is PLAN_STREAMS, templates draw from TEMPLATE_STREAMS, so a
   * random template never shifts a VU's request mix. Within one family the map stays one-to-one.
   */
  constructor(seed: number, streamIndex: number, family: number = PLAN_STREAMS) {
    this.a = this.b = this.c = this.d = 0;
    this.reseed(seed, streamIndex, family);
  }

  /** Restarts this generator as `new Rng(seed, streamIndex, family)` would start, without allocating. */
  reseed(seed: number, streamIndex: number, family: number = PLAN_STREAMS): void {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
    const a = splitmix32(lo);
    const b = splitmix32(hi ^ splitmix32(a));
    this.a = a;
    this.b = b;
    this.c = splitmix32((streamIndex >>> 0) ^ splitmix32(a ^ b ^ family));
    // d is sfc32's counter; starting it at 1 as its author does keeps the map above one-to-one.
    this.d = 1;
    // Warm up: the first outputs of sfc32 from related seeds are correlated.
    for (let i = 0; i < 16; i++) this.nextU32();
  }

  nextU32(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }
}

/** A random seed for runs without prng_seed: printed and stored so the run can be repeated. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x1_0000_0000);
}
