import { describe, expect, it } from 'vitest';
import { Histogram } from '../../src/serve/rate.js';

describe('Histogram', () => {
  it('gives percentiles over every sample, to the millisecond', () => {
    const h = new Histogram(1000);
    expect(h.percentile(50)).toBeUndefined();
    for (let i = 1; i <= 100; i++) h.add(i);
    expect(h.count).toBe(100);
    expect(h.percentile(50)).toBe(50);
    expect(h.percentile(99)).toBe(99);
    expect(h.percentile(100)).toBe(100);
    h.add(5000); // beyond the range: counted at its end
    expect(h.percentile(100)).toBe(1000);
  });
});
