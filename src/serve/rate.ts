/** Events per second over the last `seconds`, per key, in one-second buckets. */
export class RateMeter {
  private buckets = new Map<string, { sec: number; counts: number[] }>();
  constructor(private readonly seconds = 10) {}

  add(key: string, n: number, now = Date.now()): void {
    const sec = Math.floor(now / 1000);
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { sec, counts: new Array(this.seconds).fill(0) }));
    this.advance(b, sec);
    b.counts[sec % this.seconds] += n;
  }

  rate(key: string, now = Date.now()): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const sec = Math.floor(now / 1000);
    this.advance(b, sec);
    // Exclude the current, incomplete second.
    let sum = 0;
    for (let s = sec - this.seconds + 1; s < sec; s++) sum += b.counts[((s % this.seconds) + this.seconds) % this.seconds];
    return sum / (this.seconds - 1);
  }

  private advance(b: { sec: number; counts: number[] }, sec: number): void {
    if (sec <= b.sec) return;
    const steps = Math.min(sec - b.sec, this.seconds);
    for (let i = 1; i <= steps; i++) b.counts[(b.sec + i) % this.seconds] = 0;
    b.sec = sec;
  }
}

/**
 * Every sample since start, in 1 ms buckets up to `maxMs` (beyond: counted in the last bucket), so
 * percentiles cover a whole run in fixed memory (4 bytes per millisecond of range).
 */
export class Histogram {
  private readonly buckets: Uint32Array;
  private n = 0;
  constructor(private readonly maxMs = 120_000) {
    this.buckets = new Uint32Array(maxMs + 1);
  }
  add(ms: number): void {
    this.buckets[Math.min(this.maxMs, Math.max(0, Math.round(ms)))]++;
    this.n++;
  }
  /** The smallest value (ms) with at least p % of the samples at or below it. */
  percentile(p: number): number | undefined {
    if (this.n === 0) return undefined;
    const want = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let ms = 0; ms <= this.maxMs; ms++) if ((seen += this.buckets[ms]) >= want) return ms;
    return this.maxMs;
  }
  get count(): number {
    return this.n;
  }
}
