/**
 * Seeded pseudo-random numbers for the plan. 32-bit integer arithmetic only (Math.imul), so a
 * draw costs a few ns and never allocates; BigInt generators are ~30x slower (performance.md §2e).
 *
 * One run seed → splitmix32 → an independent sfc32 stream per VU. A VU's choices are therefore a
 * pure function of (seed, VU index) and never depend on how fast other VUs get responses.
 */

/** splitmix32: a good 32-bit mixer, used only to derive stream seeds from the run seed. */
export function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Folds a seed of up to 53 bits into 32 bits without losing the high half. */
export function fold53(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
  return (lo ^ Math.imul(hi, 0x27d4eb2d)) >>> 0;
}

/** sfc32 (Small Fast Chaotic), 128 bits of state in four int32 fields. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The stream of `streamIndex` (a VU index) for `seed`. */
  constructor(seed: number, streamIndex: number) {
    let s = splitmix32(fold53(seed) ^ Math.imul(streamIndex + 1, 0x9e3779b1));
    this.a = s;
    s = splitmix32(s);
    this.b = s;
    s = splitmix32(s);
    this.c = s;
    s = splitmix32(s);
    this.d = s | 1;
    // Warm up: the first outputs of sfc32 from related seeds are correlated.
    for (let i = 0; i < 12; i++) this.nextU32();
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
