/**
 * The generators' only source of randomness: a hand-written PRNG, so a fixed seed gives the same
 * numbers on every platform and Node version (Math.random cannot be seeded).
 */

/** mulberry32: small, fast, and identical on every platform (only 32-bit integer ops). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }
  /** Gamma(shape k, scale 1) for integer k: sum of k exponentials. */
  gamma(k: number): number {
    let s = 0;
    for (let i = 0; i < k; i++) s -= Math.log(1 - this.next());
    return s;
  }
  /** Poisson by inversion; fine for the small means used here (below ~50). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

/**
 * A 32-bit seed for one part of a generation (a province, a county, a township): FNV-1a over the
 * key, mixed with the run's seed. Each part then draws from its own stream, so a slice of the
 * provinces writes the same rows for them as the full run does.
 */
export function subSeed(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
