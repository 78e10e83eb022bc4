import { describe, expect, it } from 'vitest';
import { matches } from './helpers.js';

const ev = {
  CommandLine: 'C:\\Windows\\System32\\cmd.exe /c whoami /all',
  Image: 'C:\\Windows\\System32\\cmd.exe',
  Count: 42,
  Ip: '10.1.2.3',
  Ip6: '2001:db8::1',
  Empty: '',
  Null: null,
  Other: 'C:\\Windows\\System32\\CMD.EXE',
  When: '2024-03-05T14:07:09Z',
};

describe('string matching and wildcards (Sigma v2.1 §wildcards)', () => {
  it('plain value is a full, case-insensitive match', () => {
    expect(matches('sel:\n  Image: c:\\windows\\system32\\CMD.exe\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Image: cmd.exe\ncondition: sel', ev)).toBe(false);
  });
  it('* and ? wildcards', () => {
    expect(matches("sel:\n  Image: '*\\cm?.exe'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  Image: '*\\c?.exe'\ncondition: sel", ev)).toBe(false);
  });
  it('escaped wildcards are literal; a lone backslash is literal', () => {
    expect(matches("sel:\n  Lit: 'a\\*b'\ncondition: sel", { Lit: 'a*b' })).toBe(true);
    expect(matches("sel:\n  Lit: 'a\\*b'\ncondition: sel", { Lit: 'axxb' })).toBe(false);
    expect(matches("sel:\n  Lit: 'a\\?'\ncondition: sel", { Lit: 'a?' })).toBe(true);
    expect(matches("sel:\n  Lit: 'a\\\\*'\ncondition: sel", { Lit: 'a\\anything' })).toBe(true);
    expect(matches("sel:\n  Lit: 'C:\\Temp'\ncondition: sel", { Lit: 'C:\\Temp' })).toBe(true);
  });
  it('full Unicode case folding, not ASCII-only', () => {
    expect(matches('sel:\n  Name: STRASSE\ncondition: sel', { Name: 'straße' })).toBe(true);
    expect(matches('sel:\n  Name: ΟΔΟΣ\ncondition: sel', { Name: 'οδος' })).toBe(true);
    expect(matches('sel:\n  Name: ÄRZTIN\ncondition: sel', { Name: 'ärztin' })).toBe(true);
  });
  it('numbers compare as numbers or their text', () => {
    expect(matches('sel:\n  Count: 42\ncondition: sel', ev)).toBe(true);
    expect(matches("sel:\n  Count: '42'\ncondition: sel", ev)).toBe(true);
    expect(matches('sel:\n  Count: 43\ncondition: sel', ev)).toBe(false);
  });
  it('null matches absent or null fields; empty string matches empty', () => {
    expect(matches('sel:\n  Missing: null\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Null: null\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Image: null\ncondition: sel', ev)).toBe(false);
    expect(matches("sel:\n  Empty: ''\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  Image: ''\ncondition: sel", ev)).toBe(false);
  });
  it('list values are OR; |all makes them AND', () => {
    expect(matches("sel:\n  CommandLine|contains:\n    - nope\n    - whoami\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  CommandLine|contains|all:\n    - nope\n    - whoami\ncondition: sel", ev)).toBe(false);
    expect(matches("sel:\n  CommandLine|contains|all:\n    - '/c'\n    - whoami\ncondition: sel", ev)).toBe(true);
  });
});

describe('value modifiers', () => {
  it('contains / startswith / endswith', () => {
    expect(matches('sel:\n  CommandLine|contains: WHOAMI\ncondition: sel', ev)).toBe(true);
    expect(matches("sel:\n  CommandLine|startswith: 'c:\\windows'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  CommandLine|startswith: 'whoami'\ncondition: sel", ev)).toBe(false);
    expect(matches("sel:\n  Image|endswith: '\\cmd.exe'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  Image|endswith: '\\cmd'\ncondition: sel", ev)).toBe(false);
  });
  it('cased', () => {
    expect(matches("sel:\n  Other|endswith|cased: '\\CMD.EXE'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  Image|endswith|cased: '\\CMD.EXE'\ncondition: sel", ev)).toBe(false);
  });
  it('windash accepts - / – — ― in switch position only', () => {
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(matches("sel:\n  C|windash|contains: ' -enc '\ncondition: sel", { C: `powershell ${dash}enc AAA` })).toBe(true);
    }
    expect(matches("sel:\n  C|windash|contains: ' -enc '\ncondition: sel", { C: 'powershell +enc AAA' })).toBe(false);
    expect(matches("sel:\n  C|windash|contains: 'a-b'\ncondition: sel", { C: 'xa/bx' })).toBe(false);
    expect(matches("sel:\n  C|windash|contains|all:\n    - ' -a'\n    - ' -b'\ncondition: sel", { C: 'x /a /b' })).toBe(true);
    expect(matches("sel:\n  C|windash: '* -f*'\ncondition: sel", { C: 'tool /force' })).toBe(true);
  });
  it('re with i, m, s flags; re is case-sensitive and unanchored by default', () => {
    expect(matches("sel:\n  CommandLine|re: 'whoami\\s+/all$'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  CommandLine|re: 'WHOAMI'\ncondition: sel", ev)).toBe(false);
    expect(matches("sel:\n  CommandLine|re|i: 'WHOAMI'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  T|re|m: '^two$'\ncondition: sel", { T: 'one\ntwo\nthree' })).toBe(true);
    expect(matches("sel:\n  T|re: '^two$'\ncondition: sel", { T: 'one\ntwo\nthree' })).toBe(false);
    expect(matches("sel:\n  T|re|s: 'one.two'\ncondition: sel", { T: 'one\ntwo' })).toBe(true);
    expect(matches("sel:\n  T|re: 'one.two'\ncondition: sel", { T: 'one\ntwo' })).toBe(false);
    expect(matches("sel:\n  T|re: '(?i)ONE'\ncondition: sel", { T: 'one' })).toBe(true);
  });
  it('base64 and base64offset', () => {
    const b64 = Buffer.from('Invoke-Mimikatz').toString('base64');
    expect(matches("sel:\n  C|base64: 'Invoke-Mimikatz'\ncondition: sel", { C: b64 })).toBe(true);
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const enc = Buffer.from(`${prefix}http://evil`).toString('base64');
      expect(matches("sel:\n  C|base64offset|contains: 'http://evil'\ncondition: sel", { C: `cmd ${enc} x` })).toBe(true);
    }
    expect(matches("sel:\n  C|base64offset|contains: 'http://evil'\ncondition: sel", { C: Buffer.from('http://good').toString('base64') })).toBe(false);
  });
  it('wide / utf16le / utf16be / utf16 with base64', () => {
    const le = Buffer.from('whoami', 'utf16le').toString('base64');
    expect(matches("sel:\n  C|wide|base64: 'whoami'\ncondition: sel", { C: le })).toBe(true);
    expect(matches("sel:\n  C|utf16le|base64: 'whoami'\ncondition: sel", { C: le })).toBe(true);
    const be = Buffer.from('whoami', 'utf16le').swap16().toString('base64');
    expect(matches("sel:\n  C|utf16be|base64: 'whoami'\ncondition: sel", { C: be })).toBe(true);
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('whoami', 'utf16le')]).toString('base64');
    expect(matches("sel:\n  C|utf16|base64: 'whoami'\ncondition: sel", { C: bom })).toBe(true);
    const off = Buffer.from('xx whoami', 'utf16le').toString('base64');
    expect(matches("sel:\n  C|wide|base64offset|contains: 'whoami'\ncondition: sel", { C: off })).toBe(true);
  });
  it('cidr for IPv4 and IPv6', () => {
    expect(matches("sel:\n  Ip|cidr: '10.0.0.0/8'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  Ip|cidr: '10.1.3.0/24'\ncondition: sel", ev)).toBe(false);
    expect(matches("sel:\n  Ip6|cidr: '2001:db8::/32'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  Ip6|cidr: '2001:db9::/32'\ncondition: sel", ev)).toBe(false);
    expect(matches("sel:\n  Ip|cidr: '2001::/16'\ncondition: sel", ev)).toBe(false);
    expect(matches("sel:\n  Ip|cidr: '0.0.0.0/0'\ncondition: sel", ev)).toBe(true);
  });
  it('exists', () => {
    expect(matches('sel:\n  Image|exists: true\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Missing|exists: true\ncondition: sel', ev)).toBe(false);
    expect(matches('sel:\n  Missing|exists: false\ncondition: sel', ev)).toBe(true);
  });
  it('neq, lt, lte, gt, gte', () => {
    expect(matches('sel:\n  Count|neq: 41\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Count|neq: 42\ncondition: sel', ev)).toBe(false);
    expect(matches('sel:\n  Count|lt: 43\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Count|lt: 42\ncondition: sel', ev)).toBe(false);
    expect(matches('sel:\n  Count|lte: 42\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Count|gt: 41\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Count|gte: 43\ncondition: sel', ev)).toBe(false);
    expect(matches('sel:\n  Image|gt: 1\ncondition: sel', ev)).toBe(false);
  });
  it('fieldref, also with startswith/endswith', () => {
    expect(matches('sel:\n  Image|fieldref: Other\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Image|fieldref: CommandLine\ncondition: sel', ev)).toBe(false);
    expect(matches('sel:\n  CommandLine|fieldref|startswith: Image\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  Image|fieldref|endswith: Image\ncondition: sel', ev)).toBe(true);
  });
  it('expand with configured placeholders; unset placeholders never match', () => {
    const ph = { admins: ['alice', 'bob'] };
    expect(matches("sel:\n  User|expand: '%admins%'\ncondition: sel", { User: 'BOB' }, { placeholders: ph })).toBe(true);
    expect(matches("sel:\n  User|expand: '%admins%'\ncondition: sel", { User: 'eve' }, { placeholders: ph })).toBe(false);
    expect(matches("sel:\n  User|expand: '%unset%'\ncondition: sel", { User: 'eve' })).toBe(false);
  });
  it('time part modifiers minute…year', () => {
    expect(matches('sel:\n  When|hour: 14\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  When|minute: 7\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  When|day: 5\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  When|month: 3\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  When|year: 2024\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  When|week: 10\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n  When|hour: 15\ncondition: sel', ev)).toBe(false);
  });
});
