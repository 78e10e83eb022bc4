import { describe, expect, it } from 'vitest';
import { unitsToString, appendAll } from '../../src/util/index.js';

describe('util/codes: data-sized strings and lists without spreading them over the call stack', () => {
  it('builds a string from a million code units, and short ones as they are', () => {
    const units = new Uint8Array(1_000_000).fill(0x61);
    units[999_999] = 0x62;
    const s = unitsToString(units, 0, units.length);
    expect(s.length).toBe(1_000_000);
    expect(s.endsWith('ab')).toBe(true);
    expect(unitsToString(Uint16Array.from('Ωx', (c) => c.charCodeAt(0)), 0, 2)).toBe('Ωx');
    expect(unitsToString(units, 10, 10)).toBe('');
    // what the spread it replaces does with the same input
    expect(() => String.fromCharCode.apply(null, units as unknown as number[])).toThrow(RangeError);
  });
  it('appends half a million items', () => {
    const target = [1];
    const items = Array.from({ length: 500_000 }, (_, i) => i + 2);
    appendAll(target, items);
    expect(target.length).toBe(500_001);
    expect(target[500_000]).toBe(500_001);
  });
});
