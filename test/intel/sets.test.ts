import { describe, expect, it } from 'vitest';
import { DomainIndex, IpIndex, ValueIndex } from '../../src/detect/index.js';
import { parseCidr, parseIPv6, formatIp, cidrContains } from '../../src/stix/index.js';

function ipHits(idx: IpIndex, v: string, version?: 4 | 6) {
  const out: number[] = [];
  const tags: number[] = [];
  idx.lookup(v, version, out, tags);
  return out.map((s, i) => `${s}/${tags[i]}`).sort();
}

describe('IpIndex: prefix-length maps', () => {
  const idx = new IpIndex();
  const add = (c: string, slot: number) => idx.add(parseCidr(c)!, slot);
  add('0.0.0.0/0', 0);
  add('10.0.0.0/8', 1);
  add('10.1.0.0/16', 2);
  add('10.1.2.3', 3);
  add('128.0.0.0/1', 4);
  add('255.255.255.255/32', 5);
  add('2001:db8::/32', 6);
  add('2001:db8::1', 7);
  add('::/0', 8);
  add('10.1.2.3/32', 9);
  it('finds every enclosing block, most specific first', () => {
    expect(ipHits(idx, '10.1.2.3')).toEqual(['0/0', '1/8', '2/16', '3/32', '9/32']);
    expect(ipHits(idx, '10.2.0.1')).toEqual(['0/0', '1/8']);
    expect(ipHits(idx, '200.1.1.1')).toEqual(['0/0', '4/1']);
    expect(ipHits(idx, '255.255.255.255')).toEqual(['0/0', '4/1', '5/32']);
    expect(ipHits(idx, '127.255.255.255')).toEqual(['0/0']);
  });
  it('IPv6, including compressed and mixed notations', () => {
    expect(ipHits(idx, '2001:db8::1')).toEqual(['6/32', '7/128', '8/0']);
    expect(ipHits(idx, '2001:0db8:0000:0000:0000:0000:0000:0001')).toEqual(['6/32', '7/128', '8/0']);
    expect(ipHits(idx, '2001:db9::1')).toEqual(['8/0']);
    expect(ipHits(idx, '[2001:db8::2]')).toEqual(['6/32', '8/0']);
    expect(ipHits(idx, 'fe80::1%eth0')).toEqual(['8/0']);
  });
  it('IPv4-mapped IPv6 is IPv4; garbage matches nothing', () => {
    expect(ipHits(idx, '::ffff:10.1.2.3')).toEqual(['0/0', '1/8', '2/16', '3/32', '9/32']);
    expect(ipHits(idx, 'not an ip')).toEqual([]);
    expect(ipHits(idx, '10.1.2')).toEqual([]);
    expect(ipHits(idx, '10.1.2.256')).toEqual([]);
    expect(ipHits(idx, '10.1.2.3', 6)).toEqual([]);
  });
});

describe('address parsing helpers', () => {
  it('parses and formats', () => {
    expect(parseIPv6('::')).toBe(0n);
    expect(parseIPv6('1::')).toBe(1n << 112n);
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseIPv6('1::2::3')).toBeUndefined();
    expect(formatIp(6, parseIPv6('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatIp(4, 0xc0a80001n)).toBe('192.168.0.1');
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.7/24')).toEqual({ version: 4, base: 0x0a000000n, prefix: 24 });
    expect(parseCidr('01.2.3.4')).toBeUndefined();
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseCidr('10.9.0.0/16')!)).toBe(true);
    expect(cidrContains(parseCidr('10.9.0.0/16')!, parseCidr('10.0.0.0/8')!)).toBe(false);
    expect(cidrContains(parseCidr('::/0')!, parseCidr('10.0.0.0/8')!)).toBe(false);
  });
});

describe('DomainIndex and ValueIndex', () => {
  it('matches names and parent domains by label, never by substring', () => {
    const d = new DomainIndex();
    d.add('Evil.Example.', 1);
    d.add('example', 2);
    const hits = (v: string) => {
      const out: number[] = [];
      const tags: string[] = [];
      d.lookup(v, out, tags);
      return out.map((s, i) => `${s}:${tags[i]}`);
    };
    expect(hits('evil.example')).toEqual(['1:evil.example', '2:example']);
    expect(hits('a.b.EVIL.example.')).toEqual(['1:evil.example', '2:example']);
    expect(hits('notevil.example')).toEqual(['2:example']);
    expect(hits('evil.example.org')).toEqual([]);
    expect(hits('')).toEqual([]);
  });
  it('value sets normalize both sides and share slots', () => {
    const v = new ValueIndex('lower');
    v.add('ABC', 1);
    v.add('abc', 2);
    v.add('abc', 2);
    const out: number[] = [];
    v.lookup('aBc', out, []);
    expect(out).toEqual([1, 2]);
    expect(v.size).toBe(1);
  });
});
