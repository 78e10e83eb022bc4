/**
 * The string of code units (bytes read as Latin-1, or UTF-16 units) `units[start, end)`.
 * String.fromCharCode.apply takes its units as call arguments, and a long enough run (a hostile
 * line's 600 KB Channel) overflows the stack: the units go in slices of a safe size.
 */
const SLICE = 8192;

export function unitsToString(units: Uint8Array | Uint16Array, start: number, end: number): string {
  if (end - start <= SLICE) return String.fromCharCode.apply(null, units.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let i = start; i < end; i += SLICE) s += String.fromCharCode.apply(null, units.subarray(i, Math.min(end, i + SLICE)) as unknown as number[]);
  return s;
}

/**
 * target.push(...items) without spreading: a spread passes every item as a call argument, and
 * data-sized lists (a MISP event's attributes, one object's validation errors) can exceed what
 * the call stack holds.
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
}
