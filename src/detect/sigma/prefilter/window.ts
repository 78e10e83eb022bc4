import type { Need } from './need.js';

const TABLE_BITS = 20;

/**
 * Which part of a long needle an automaton looks for. Any part of a necessary literal is itself
 * necessary, so any window will do for correctness; for speed the window should be rare in logs.
 * The last characters (the old choice) are often the commonest: `C:\Windows \System32\` ends in
 * `ystem32\`, which every Windows path holds, so its rule kept every line. The rules themselves
 * are the corpus here: a window many needles share (`\windows`, `system32`, `.exe`) is one logs
 * are full of too, a window one needle alone holds (`ows \sys`) is what makes it specific.
 * Windows are counted by a hash into a fixed table (a collision only merges two counts).
 */
export class NeedleWindows {
  private readonly seen = new Uint16Array(1 << TABLE_BITS);

  /** Counts the windows of every distinct needle of these needs. */
  constructor(
    needs: readonly Need[],
    readonly width: number,
  ) {
    const distinct = new Set<string>();
    for (const n of needs) for (const clause of n ?? []) for (const { needle } of clause) if (needle.length > width) distinct.add(needle);
    for (const needle of distinct) {
      for (let i = 0; i + width <= needle.length; i++) {
        const h = this.hash(needle, i);
        if (this.seen[h] < 0xffff) this.seen[h]++;
      }
    }
  }

  private hash(s: string, at: number): number {
    let h = 0x811c9dc5;
    for (let k = at; k < at + this.width; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
    return (h ^ (h >>> TABLE_BITS)) & ((1 << TABLE_BITS) - 1);
  }

  /** The window of `needle` fewest needles share (the last such, as names differ most at the end). */
  pick(needle: string): string {
    const width = this.width;
    if (needle.length <= width) return needle;
    let best = needle.length - width;
    let bestSeen = this.seen[this.hash(needle, best)];
    for (let i = best - 1; i >= 0; i--) {
      const n = this.seen[this.hash(needle, i)];
      if (n < bestSeen) {
        best = i;
        bestSeen = n;
      }
    }
    return needle.slice(best, best + width);
  }
}
