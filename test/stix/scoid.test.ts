import { describe, expect, it } from 'vitest';
import { canonicalize, scoId, uuidv5 } from '../../src/stix/index.js';

describe('RFC 8785 canonical JSON', () => {
  it('sorts members by UTF-16 code units, drops whitespace, serializes numbers the ES way', () => {
    expect(canonicalize({ b: 1, a: [true, null, 'x'], c: { z: 1e21, y: 0.1, x: -0 } })).toBe('{"a":[true,null,"x"],"b":1,"c":{"x":0,"y":0.1,"z":1e+21}}');
    // RFC 8785 §3.2.3 example of code-unit order: "\u20ac" (€) sorts before "\ud83d\ude00" (😀) and after "\r".
    expect(canonicalize({ '😀': 1, '€': 2, '\r': 3, 'ö': 4 })).toBe('{"\\r":3,"ö":4,"€":2,"😀":1}');
    expect(canonicalize('line\nbreak "q" \u0001')).toBe('"line\\nbreak \\"q\\" \\u0001"');
    expect(() => canonicalize({ a: NaN })).toThrow();
  });
});

describe('deterministic SCO ids (STIX 2.1 §2.9)', () => {
  it('UUIDv5 in the SCO namespace', () => {
    // RFC 4122 vector, DNS namespace: uuid5(NAMESPACE_DNS, "python.org").
    expect(uuidv5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
  // Vectors computed independently (Python uuid.uuid5 over json.dumps(sort_keys=True,
  // separators=(',', ':'), ensure_ascii=False) of the id-contributing properties).
  const vectors: [string, Record<string, unknown>, string][] = [
    ['ipv4-addr', { value: '198.51.100.3' }, 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'],
    ['domain-name', { value: 'example.com' }, 'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7'],
    ['domain-name', { value: 'bücher.example' }, 'domain-name--dbf3aff2-b3cd-57d2-9616-0ddfde9d01ad'],
    ['email-addr', { value: 'jdoe@example.com', display_name: 'not contributing' }, 'email-addr--6deb37bd-12b7-54ae-805f-5f7146f3d171'],
    ['url', { value: 'https://example.com/research/index.html' }, 'url--47c3cf9a-5027-5bf0-997a-017c7edc7c55'],
    ['file', { name: 'foo.exe', hashes: { 'SHA-256': 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' }, size: 5 }, 'file--e9779ddb-6076-5829-bd92-61c8a3689c0f'],
    // Only one hash contributes, MD5 first: adding SHA-256 keeps the id.
    ['file', { name: 'a.txt', hashes: { 'SHA-256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', MD5: 'd41d8cd98f00b204e9800998ecf8427e' } }, 'file--bc634452-d224-5dfb-b05e-ca8ec77c3ab2'],
    ['user-account', { account_login: 'jdoe', user_id: '1001', account_type: 'unix', display_name: 'J' }, 'user-account--f94d689e-707d-58c3-b803-c720bb6ed096'],
    ['network-traffic', { protocols: ['ipv4', 'tcp'], dst_port: 443, src_ref: 'ipv4-addr--4d22aae0-2bf9-5427-8819-e4f6abf20a53', src_byte_count: 9 }, 'network-traffic--30b63df7-ca91-5dac-996c-b857bae20ccd'],
  ];
  it.each(vectors)('%s %j', (type, props, id) => {
    expect(scoId(type, props)).toBe(id);
  });
  it('falls back to UUIDv4 for types without contributing properties', () => {
    const a = scoId('process', { pid: 4 });
    const b = scoId('process', { pid: 4 });
    expect(a).toMatch(/^process--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(scoId('ipv4-addr', {})).toMatch(/^ipv4-addr--[0-9a-f-]{36}$/);
  });
});
