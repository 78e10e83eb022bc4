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

/** Keeps the last `size` samples for percentiles. */
export class Samples {
  private buf: number[] = [];
  private i = 0;
  constructor(private readonly size = 20_000) {}
  add(v: number): void {
    if (this.buf.length < this.size) this.buf.push(v);
    else this.buf[this.i++ % this.size] = v;
  }
  percentile(p: number): number | undefined {
    if (this.buf.length === 0) return undefined;
    const s = [...this.buf].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  }
  get count(): number {
    return this.buf.length;
  }
  clear(): void {
    this.buf = [];
    this.i = 0;
  }
}
