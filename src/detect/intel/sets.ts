import { parseCidr, parseIPv4, parseIPv6, type Cidr } from '../../stix/index.js';
import type { Normalizer } from './mapping.js';

/**
 * Indexed sets for simple indicators: lookups cost the same with one indicator or a million.
 * Entries hold indicator slot numbers (a number, or an array when several indicators share a
 * value) rather than objects, to keep memory per indicator small.
 */
type Slots = number | number[];

function addSlot<K>(m: Map<K, Slots>, k: K, slot: number): void {
  const have = m.get(k);
  if (have === undefined) m.set(k, slot);
  else if (typeof have === 'number') {
    if (have !== slot) m.set(k, [have, slot]);
  } else if (!have.includes(slot)) have.push(slot);
}

/** Appends the slots to `out` and, per slot, `tag` to `tags` (callers reuse both arrays). */
function emit<T>(s: Slots | undefined, out: number[], tags: T[], tag: T): void {
  if (s === undefined) return;
  if (typeof s === 'number') {
    out.push(s);
    tags.push(tag);
  } else
    for (const x of s) {
      out.push(x);
      tags.push(tag);
    }
}

export function normalizeValue(n: Normalizer, v: string): string {
  switch (n) {
    case 'lower':
      return v.toLowerCase();
    case 'domain': {
      let d = v.trim().toLowerCase();
      if (d.endsWith('.')) d = d.slice(0, -1);
      return d;
    }
    default:
      return v;
  }
}

/** Exact values (hashes, URLs, file names, e-mail addresses …) of one object path. */
export class ValueIndex {
  private readonly map = new Map<string, Slots>();
  constructor(readonly normalize: Normalizer) {}
  get size(): number {
    return this.map.size;
  }
  add(value: string, slot: number): void {
    addSlot(this.map, normalizeValue(this.normalize, value), slot);
  }
  lookup(value: string, out: number[], tags: unknown[]): void {
    emit(this.map.get(normalizeValue(this.normalize, value)), out, tags, undefined);
  }
}

/**
 * Domain names: an indicator for evil.example also matches a.b.evil.example. The event's name is
 * looked up label suffix by label suffix (a.b.evil.example, b.evil.example, evil.example,
 * example) — at most one hash lookup per label, whatever the number of indicators.
 */
export class DomainIndex {
  private readonly map = new Map<string, Slots>();
  constructor(private readonly subdomains = true) {}
  get size(): number {
    return this.map.size;
  }
  add(value: string, slot: number): void {
    addSlot(this.map, normalizeValue('domain', value), slot);
  }
  /** tags: the indicator's domain that matched (the name itself or a parent domain). */
  lookup(value: string, out: number[], tags: string[]): void {
    const d = normalizeValue('domain', value);
    if (d === '') return;
    emit(this.map.get(d), out, tags, d);
    if (!this.subdomains) return;
    for (let i = d.indexOf('.'); i >= 0; i = d.indexOf('.', i + 1)) {
      const suffix = d.slice(i + 1);
      if (suffix) emit(this.map.get(suffix), out, tags, suffix);
    }
  }
}

/**
 * IPv4/IPv6 addresses and CIDR blocks: one hash map per prefix length present, longest first.
 * A lookup masks the address once per distinct prefix length (≤ 33 for IPv4, ≤ 129 for IPv6;
 * in practice a handful), independent of the number of indicators.
 */
export class IpIndex {
  private readonly v4 = new Map<number, Map<number, Slots>>();
  private readonly v6 = new Map<number, Map<bigint, Slots>>();
  private v4Prefixes: number[] = [];
  private v6Prefixes: number[] = [];
  size = 0;

  add(cidr: Cidr, slot: number): void {
    this.size++;
    if (cidr.version === 4) {
      let m = this.v4.get(cidr.prefix);
      if (!m) {
        this.v4.set(cidr.prefix, (m = new Map()));
        this.v4Prefixes = [...this.v4.keys()].sort((a, b) => b - a);
      }
      addSlot(m, Number(cidr.base), slot);
    } else {
      let m = this.v6.get(cidr.prefix);
      if (!m) {
        this.v6.set(cidr.prefix, (m = new Map()));
        this.v6Prefixes = [...this.v6.keys()].sort((a, b) => b - a);
      }
      addSlot(m, cidr.base, slot);
    }
  }

  /** Looks up an address written in an event (IPv4-mapped IPv6 is treated as IPv4). */
  /** tags: the prefix length of the block that matched. */
  lookup(value: string, version: 4 | 6 | undefined, out: number[], tags: number[]): void {
    let text = value;
    if (text.startsWith('::ffff:') && text.includes('.')) text = text.slice(7);
    if (version !== 6 && this.v4Prefixes.length) {
      const a = parseIPv4(text);
      if (a !== undefined) {
        for (const p of this.v4Prefixes) {
          // Host bits cleared with unsigned arithmetic (>>> 0) so /1…/32 all work.
          const base = p === 0 ? 0 : p === 32 ? a : ((a >>> (32 - p)) << (32 - p)) >>> 0;
          emit(this.v4.get(p)!.get(base), out, tags, p);
        }
        return;
      }
    }
    if (version !== 4 && this.v6Prefixes.length && text.includes(':')) {
      const a = parseIPv6(text);
      if (a === undefined) return;
      for (const p of this.v6Prefixes) {
        const host = BigInt(128 - p);
        emit(this.v6.get(p)!.get(p === 0 ? 0n : (a >> host) << host), out, tags, p);
      }
    }
  }
}

export { parseCidr };
