/** A one-line progress display on stderr, only when it is a terminal. */
export class Progress {
  private last = 0;
  private readonly t0 = performance.now();
  constructor(
    private readonly enabled: boolean,
    private readonly files: number,
  ) {}

  update(filesDone: number, events: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.last < 200) return;
    this.last = now;
    const secs = (now - this.t0) / 1000;
    const width = 24;
    const filled = Math.round((filesDone / Math.max(1, this.files)) * width);
    const rate = secs > 0 ? Math.round(events / secs) : 0;
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${filesDone}/${this.files} files  ${events.toLocaleString('en')} events  ${rate.toLocaleString('en')}/s `);
  }

  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
}
