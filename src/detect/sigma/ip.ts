/**
 * IPv4/IPv6 networks for the `cidr` modifier. Addresses are compared as 128-bit values held in
 * two 64-bit BigInts; IPv4 addresses use the IPv4-mapped IPv6 space (::ffff:a.b.c.d) so a v4
 * network never matches an unrelated v6 address.
 */
import { isIP } from 'node:net';

export interface Network {
  hi: bigint;
  lo: bigint;
  bits: number;
  text: string;
}

const MASK64 = (1n << 64n) - 1n;

function parseV4(s: string): bigint | undefined {
  const p = s.split('.');
  if (p.length !== 4) return undefined;
  let v = 0n;
  for (const x of p) {
    if (!/^\d{1,3}$/.test(x)) return undefined;
    const n = Number(x);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

/** Parses an address into [hi, lo] 64-bit halves, or undefined when it is not an IP address. */
export function parseIp(input: string): [bigint, bigint] | undefined {
  let s = input.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const kind = isIP(s);
  if (kind === 4) return [0n, (0xffffn << 32n) | parseV4(s)!];
  if (kind !== 6) return undefined;
  let tail: bigint[] = [];
  let v6 = s;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseV4(s.slice(lastColon + 1))!;
    tail = [v4 >> 16n, v4 & 0xffffn];
    v6 = s.slice(0, lastColon + 1) + '0:0';
  }
  const [head, rest] = v6.split('::');
  const hp = head ? head.split(':') : [];
  const rp = rest !== undefined ? (rest ? rest.split(':') : []) : [];
  const fill = rest !== undefined ? 8 - hp.length - rp.length : 0;
  const words = [...hp, ...Array(fill).fill('0'), ...rp].map((w) => BigInt(parseInt(w, 16)));
  if (tail.length) words.splice(6, 2, ...tail);
  let hi = 0n;
  let lo = 0n;
  for (let i = 0; i < 4; i++) hi = (hi << 16n) | words[i];
  for (let i = 4; i < 8; i++) lo = (lo << 16n) | words[i];
  return [hi, lo];
}

export function parseNetwork(text: string): Network | undefined {
  const [addr, bitsText] = text.split('/');
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const v4 = isIP(addr.trim()) === 4;
  let bits = bitsText === undefined ? (v4 ? 32 : 128) : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > (v4 ? 32 : 128)) return undefined;
  if (v4) bits += 96;
  const [hi, lo] = mask(ip, bits);
  return { hi, lo, bits, text };
}

function mask([hi, lo]: [bigint, bigint], bits: number): [bigint, bigint] {
  const hiBits = Math.min(bits, 64);
  const loBits = Math.max(bits - 64, 0);
  const hm = hiBits === 0 ? 0n : (MASK64 << BigInt(64 - hiBits)) & MASK64;
  const lm = loBits === 0 ? 0n : (MASK64 << BigInt(64 - loBits)) & MASK64;
  return [hi & hm, lo & lm];
}

export function inNetwork(ip: [bigint, bigint], net: Network): boolean {
  const [hi, lo] = mask(ip, net.bits);
  return hi === net.hi && lo === net.lo;
}
