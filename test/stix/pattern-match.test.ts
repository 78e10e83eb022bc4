import { describe, expect, it } from 'vitest';
import { matchPattern, parsePattern, type ObservationInput } from '../../src/stix/index.js';

const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
const obs = (t: number, ...objects: Record<string, unknown>[]): ObservationInput => ({ objects, timestamp: T0 + t * 1000 });
const m = (pattern: string, observations: ObservationInput[]) => matchPattern(parsePattern(pattern), observations).matched;

const file = {
  type: 'file',
  name: 'invoice.exe',
  size: 1024,
  hashes: { MD5: '0123456789ABCDEF0123456789ABCDEF', 'SHA-256': 'aa'.repeat(32) },
  ctime: '2023-05-01T10:00:00.500Z',
  is_encrypted: false,
  magic_number_hex: '4D5A',
  x_tags: ['a', 'b', 'c'],
};
const one = [obs(0, file)];

describe('comparison operators (STIX 2.1 §9.5)', () => {
  it('= and != with strings, numbers, booleans', () => {
    expect(m("[file:name = 'invoice.exe']", one)).toBe(true);
    expect(m("[file:name = 'INVOICE.EXE']", one)).toBe(false);
    expect(m("[file:name != 'other.exe']", one)).toBe(true);
    expect(m("[file:name != 'invoice.exe']", one)).toBe(false);
    expect(m('[file:size = 1024]', one)).toBe(true);
    expect(m('[file:size = 1024.0]', one)).toBe(true);
    expect(m("[file:size = '1024']", one)).toBe(false);
    expect(m('[file:is_encrypted = false]', one)).toBe(true);
    expect(m('[file:is_encrypted = true]', one)).toBe(false);
  });
  it('hash values compare without regard to hex letter case', () => {
    expect(m("[file:hashes.MD5 = '0123456789abcdef0123456789abcdef']", one)).toBe(true);
    expect(m(`[file:hashes.'SHA-256' = '${'AA'.repeat(32)}']`, one)).toBe(true);
    expect(m("[file:hashes.'SHA-1' = 'x']", one)).toBe(false);
  });
  it('< > <= >= on numbers, strings and timestamps', () => {
    expect(m('[file:size > 1000]', one)).toBe(true);
    expect(m('[file:size < 1000]', one)).toBe(false);
    expect(m('[file:size <= 1024]', one)).toBe(true);
    expect(m('[file:size >= 1025]', one)).toBe(false);
    expect(m("[file:name < 'j']", one)).toBe(true);
    expect(m("[file:ctime > t'2023-05-01T10:00:00Z']", one)).toBe(true);
    expect(m("[file:ctime = t'2023-05-01T10:00:00.5Z']", one)).toBe(true);
    expect(m("[file:ctime < t'2023-05-01T10:00:00.4999Z']", one)).toBe(false);
  });
  it('IN', () => {
    expect(m("[file:name IN ('a.exe', 'invoice.exe')]", one)).toBe(true);
    expect(m("[file:name IN ('a.exe', 'b.exe')]", one)).toBe(false);
    expect(m("[file:name NOT IN ('a.exe', 'b.exe')]", one)).toBe(true);
    expect(m('[file:size IN (1, 1024)]', one)).toBe(true);
    expect(m('[file:name IN ()]', one)).toBe(false);
  });
  it('LIKE: % and _ wildcards, anchored, case-sensitive', () => {
    expect(m("[file:name LIKE 'inv%.exe']", one)).toBe(true);
    expect(m("[file:name LIKE 'invoice._xe']", one)).toBe(true);
    expect(m("[file:name LIKE 'nvoice%']", one)).toBe(false);
    expect(m("[file:name LIKE 'INV%']", one)).toBe(false);
    expect(m("[file:name NOT LIKE 'x%']", one)).toBe(true);
    expect(m("[file:name LIKE 'invoice.ex(e']", one)).toBe(false);
  });
  it('MATCHES: unanchored regular expression', () => {
    expect(m("[file:name MATCHES 'voice\\\\.ex']", one)).toBe(true);
    expect(m("[file:name MATCHES '^voice']", one)).toBe(false);
    expect(m("[file:name MATCHES '(?i)^INVOICE']", one)).toBe(true);
    expect(m("[file:name NOT MATCHES '^inv']", one)).toBe(false);
  });
  it('ISSUBSET and ISSUPERSET on IPv4 and IPv6', () => {
    const ips = [obs(0, { type: 'ipv4-addr', value: '198.51.100.7' }, { type: 'ipv6-addr', value: '2001:db8::1' }, { type: 'ipv4-addr', value: '203.0.113.0/25' })];
    expect(m("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", ips)).toBe(true);
    expect(m("[ipv4-addr:value ISSUBSET '198.51.101.0/24']", ips)).toBe(false);
    expect(m("[ipv6-addr:value ISSUBSET '2001:db8::/32']", ips)).toBe(true);
    expect(m("[ipv6-addr:value ISSUBSET '2001:db9::/32']", ips)).toBe(false);
    expect(m("[ipv4-addr:value ISSUPERSET '203.0.113.5']", ips)).toBe(true);
    expect(m("[ipv4-addr:value ISSUPERSET '203.0.113.200']", ips)).toBe(false);
    expect(m("[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']", ips)).toBe(true);
  });
  it('binary and hex literals against *_hex properties and plain strings', () => {
    expect(m("[file:magic_number_hex = h'4d5a']", one)).toBe(true);
    expect(m("[file:magic_number_hex = b'TVo=']", one)).toBe(true);
    expect(m("[file:magic_number_hex = h'4d5b']", one)).toBe(false);
    expect(m("[file:name = b'aW52b2ljZS5leGU=']", one)).toBe(true);
  });
  it('EXISTS and NOT', () => {
    expect(m('[EXISTS file:hashes.MD5]', one)).toBe(true);
    expect(m('[EXISTS file:parent_directory_ref]', one)).toBe(false);
    expect(m('[file:size NOT = 1024]', one)).toBe(false);
    expect(m('[file:size NOT > 2000]', one)).toBe(true);
    // A missing property never satisfies a comparison, negated or not.
    expect(m("[file:mime_type NOT = 'text/plain']", one)).toBe(false);
  });
  it('list indexes, [*] and references', () => {
    expect(m("[file:x_tags[1] = 'b']", one)).toBe(true);
    expect(m("[file:x_tags[0] = 'b']", one)).toBe(false);
    expect(m("[file:x_tags[*] = 'c']", one)).toBe(true);
    const traffic = [
      obs(
        0,
        { type: 'network-traffic', id: 'network-traffic--1', src_ref: 'ipv4-addr--1', dst_ref: 'ipv4-addr--2', dst_port: 443, protocols: ['ipv4', 'tcp'] },
        { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '10.0.0.5' },
        { type: 'ipv4-addr', id: 'ipv4-addr--2', value: '198.51.100.9' },
        { type: 'email-message', id: 'email-message--1', to_refs: ['email-addr--1', 'email-addr--2'] },
        { type: 'email-addr', id: 'email-addr--1', value: 'a@example.org' },
        { type: 'email-addr', id: 'email-addr--2', value: 'b@example.org' },
      ),
    ];
    expect(m("[network-traffic:dst_ref.value = '198.51.100.9' AND network-traffic:dst_port = 443]", traffic)).toBe(true);
    expect(m("[network-traffic:src_ref.value = '198.51.100.9']", traffic)).toBe(false);
    expect(m("[network-traffic:protocols[*] = 'tcp']", traffic)).toBe(true);
    expect(m("[email-message:to_refs[*].value = 'b@example.org']", traffic)).toBe(true);
    expect(m("[email-message:to_refs[0].value = 'b@example.org']", traffic)).toBe(false);
    // STIX 2.0 style: the objects dictionary keys are the references.
    const v20: ObservationInput = { objects: { '0': { type: 'network-traffic', dst_ref: '1' }, '1': { type: 'ipv4-addr', value: '10.9.9.9' } }, timestamp: T0 };
    expect(m("[network-traffic:dst_ref.value = '10.9.9.9']", [v20])).toBe(true);
  });
  it('AND within an observation: the same object for the same type, any objects across types', () => {
    const two = [obs(0, { type: 'file', name: 'a.exe', size: 1 }, { type: 'file', name: 'b.exe', size: 2 }, { type: 'domain-name', value: 'evil.example' })];
    expect(m("[file:name = 'a.exe' AND file:size = 1]", two)).toBe(true);
    expect(m("[file:name = 'a.exe' AND file:size = 2]", two)).toBe(false);
    expect(m("[file:name = 'a.exe' AND domain-name:value = 'evil.example']", two)).toBe(true);
    expect(m("[file:name = 'x.exe' OR domain-name:value = 'evil.example']", two)).toBe(true);
    expect(m("[file:name = 'x.exe' OR domain-name:value = 'good.example']", two)).toBe(false);
  });
});

describe('observation operators and qualifiers (STIX 2.1 §9.5, §9.6)', () => {
  const A = { type: 'domain-name', value: 'a.example' };
  const B = { type: 'domain-name', value: 'b.example' };
  const seq = [obs(0, A), obs(10, B), obs(100, A)];
  it('AND between observations needs distinct observations', () => {
    expect(m("[domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']", seq)).toBe(true);
    expect(m("[domain-name:value = 'b.example'] AND [domain-name:value = 'b.example']", seq)).toBe(false);
    expect(m("[domain-name:value = 'a.example'] AND [domain-name:value = 'a.example']", seq)).toBe(true);
  });
  it('OR between observations', () => {
    expect(m("[domain-name:value = 'z.example'] OR [domain-name:value = 'b.example']", seq)).toBe(true);
    expect(m("[domain-name:value = 'z.example'] OR [domain-name:value = 'y.example']", seq)).toBe(false);
  });
  it('FOLLOWEDBY respects order', () => {
    expect(m("[domain-name:value = 'b.example'] FOLLOWEDBY [domain-name:value = 'a.example']", seq)).toBe(true);
    expect(m("[domain-name:value = 'b.example'] FOLLOWEDBY [domain-name:value = 'a.example']", seq.slice(0, 2))).toBe(false);
    expect(m("[domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']", seq.slice(0, 2))).toBe(true);
  });
  it('WITHIN limits the time span of the bound observations', () => {
    expect(m("([domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']) WITHIN 15 SECONDS", seq)).toBe(true);
    expect(m("([domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']) WITHIN 5 SECONDS", seq)).toBe(false);
    expect(m("([domain-name:value = 'b.example'] FOLLOWEDBY [domain-name:value = 'a.example']) WITHIN 60 SECONDS", seq)).toBe(false);
    expect(m("([domain-name:value = 'b.example'] FOLLOWEDBY [domain-name:value = 'a.example']) WITHIN 90.5 SECONDS", seq)).toBe(true);
  });
  it('REPEATS counts distinct observations, and number_observed', () => {
    expect(m("[domain-name:value = 'a.example'] REPEATS 2 TIMES", seq)).toBe(true);
    expect(m("[domain-name:value = 'a.example'] REPEATS 3 TIMES", seq)).toBe(false);
    expect(m("[domain-name:value = 'a.example'] REPEATS 2 TIMES WITHIN 50 SECONDS", seq)).toBe(false);
    expect(m("[domain-name:value = 'b.example'] REPEATS 5 TIMES", [{ objects: [B], timestamp: T0, number_observed: 5 }])).toBe(true);
  });
  it('START … STOP bounds observation times (start inclusive, stop exclusive)', () => {
    const start = "t'2024-01-01T00:00:00Z'";
    expect(m(`[domain-name:value = 'b.example'] START ${start} STOP t'2024-01-01T00:00:11Z'`, seq)).toBe(true);
    expect(m(`[domain-name:value = 'b.example'] START ${start} STOP t'2024-01-01T00:00:10Z'`, seq)).toBe(false);
    expect(m(`[domain-name:value = 'a.example'] START t'2024-01-01T00:00:01Z' STOP t'2025-01-01T00:00:00Z'`, seq)).toBe(true);
  });
  it('qualifier binds to the preceding observation only', () => {
    // Only [b] must repeat twice; [a] is unqualified.
    expect(m("[domain-name:value = 'a.example'] AND [domain-name:value = 'b.example'] REPEATS 2 TIMES", seq)).toBe(false);
    // [b] AND ([a] REPEATS 2): a is seen twice → true; read as ([b] AND [a]) REPEATS 2 it would be false.
    expect(m("[domain-name:value = 'b.example'] AND [domain-name:value = 'a.example'] REPEATS 2 TIMES", seq)).toBe(true);
    expect(m("([domain-name:value = 'b.example'] AND [domain-name:value = 'a.example']) REPEATS 2 TIMES", seq)).toBe(false);
    expect(m("[domain-name:value = 'b.example'] OR [domain-name:value = 'a.example'] REPEATS 2 TIMES", seq)).toBe(true);
  });
  it('precedence changes results: FOLLOWEDBY is the loosest', () => {
    // ([b] OR [z]) FOLLOWEDBY [a] — true (b at 10, a at 100);
    // if OR were looser it would read [b] OR ([z] FOLLOWEDBY [a]) — also true, so check the other way:
    // [a] FOLLOWEDBY [z] OR [a] = [a] FOLLOWEDBY ([z] OR [a]) — true with two a's, false with one.
    const p = "[domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'z.example'] OR [domain-name:value = 'a.example']";
    expect(m(p, seq)).toBe(true);
    expect(m(p, seq.slice(0, 2))).toBe(false);
  });
  it('reports the bound observations', () => {
    const r = matchPattern(parsePattern("[domain-name:value = 'b.example'] FOLLOWEDBY [domain-name:value = 'a.example']"), seq);
    expect(r.bindings).toEqual([[1, 2]]);
  });
});
