import { describe, expect, it } from 'vitest';
import { load, matches } from './helpers.js';
import { parseCondition } from '../../src/detect/sigma/condition.js';

const ev = { A: 'a', B: 'b', C: 'c' };
const sels = "sel_a:\n  A: a\nsel_b:\n  B: b\nsel_x:\n  A: x\n_hidden:\n  A: x\n";

describe('conditions (Sigma v2.1 §condition)', () => {
  it('and / or / not and their precedence (not > and > or)', () => {
    expect(matches(`${sels}condition: sel_a and sel_b`, ev)).toBe(true);
    expect(matches(`${sels}condition: sel_a and sel_x`, ev)).toBe(false);
    expect(matches(`${sels}condition: sel_x or sel_b`, ev)).toBe(true);
    expect(matches(`${sels}condition: not sel_x`, ev)).toBe(true);
    expect(matches(`${sels}condition: sel_x or sel_a and sel_b`, ev)).toBe(true);
    expect(matches(`${sels}condition: (sel_x or sel_a) and not sel_b`, ev)).toBe(false);
    expect(matches(`${sels}condition: not sel_x and sel_a`, ev)).toBe(true);
  });
  it('1 of / any of / all of with wildcards and them; them skips _ names', () => {
    expect(matches(`${sels}condition: 1 of sel_*`, ev)).toBe(true);
    expect(matches(`${sels}condition: any of sel_*`, ev)).toBe(true);
    expect(matches(`${sels}condition: all of sel_*`, ev)).toBe(false);
    expect(matches("sel_a:\n  A: a\nsel_b:\n  B: b\n_hidden:\n  A: x\ncondition: all of them", ev)).toBe(true);
    expect(matches("sel_a:\n  A: a\nsel_b:\n  B: b\ncondition: all of them", { A: 'a' })).toBe(false);
    expect(matches(`${sels}condition: not 1 of sel_x*`, ev)).toBe(true);
  });
  it('a list of conditions is an OR', () => {
    expect(matches(`${sels}condition:\n  - sel_x\n  - sel_b`, ev)).toBe(true);
    expect(matches(`${sels}condition:\n  - sel_x\n  - not sel_a`, ev)).toBe(false);
  });
  it('list of maps is OR, map is AND', () => {
    expect(matches("sel:\n  - A: x\n  - B: b\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n  A: x\n  B: b\ncondition: sel", ev)).toBe(false);
  });
  it('keyword searches look in every field; |all keywords must all appear', () => {
    expect(matches("kw:\n  - nothing\n  - mimikatz\ncondition: kw", { Msg: 'ran MIMIKATZ.exe' })).toBe(true);
    expect(matches("kw:\n  - nothing\ncondition: kw", { Msg: 'ran mimikatz' })).toBe(false);
    expect(matches("kw:\n  '|all':\n    - ran\n    - mimikatz\ncondition: kw", { Msg: 'ran mimikatz' })).toBe(true);
    expect(matches("kw:\n  '|all':\n    - ran\n    - procdump\ncondition: kw", { Msg: 'ran mimikatz' })).toBe(false);
  });
  it('reports bad conditions with the column', () => {
    expect(() => parseCondition('sel and (other')).toThrow(/column/);
    expect(() => parseCondition('sel | count() > 5')).toThrow(/correlation rule/);
    const res = load("title: t\nlogsource: {product: x}\ndetection:\n  sel: {A: a}\n  condition: sel and missing\n", { allowProblems: true });
    expect(res.problems[0].message).toMatch(/missing/);
    expect(res.ruleset.rules).toHaveLength(0);
  });
  it('broken YAML is reported with file and line; other rules still load', () => {
    const res = load("title: ok\nlogsource: {product: x}\ndetection:\n  sel: {A: a}\n  condition: sel\n---\ntitle: bad\ndetection: [\n", { allowProblems: true });
    expect(res.problems[0].code).toBe('sigma.yaml');
    expect(res.problems[0].line).toBeGreaterThan(0);
  });
  it('unknown modifiers are errors naming the modifier', () => {
    const res = load("title: t\nlogsource: {product: x}\ndetection:\n  sel: {A|bogus: a}\n  condition: sel\n", { allowProblems: true });
    expect(res.problems[0].message).toMatch(/bogus/);
  });
});

describe('logsource product', () => {
  it('a rule for another product that no pipeline maps does not run on Windows events', async () => {
    const { runAll } = await import('./helpers.js');
    const zeek = `title: zeek rdp
id: 88888888-0000-4000-8000-000000000001
logsource: {product: zeek, service: rdp}
detection:
  sel: {Computer: '*'}
  condition: sel
`;
    const win = { Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS1' }, EventData: { Image: 'x' } } };
    expect(runAll(zeek, [win])).toHaveLength(0);
    expect(runAll(zeek, [{ Computer: 'sensor1', id_resp_p: 3389 }])).toHaveLength(1);
  });
});

describe('category-only logsources', () => {
  it('a proxy rule (category, no product, no pipeline entry) does not run on Windows events', async () => {
    const { runAll } = await import('./helpers.js');
    const proxy = `title: proxy rule
id: 99999999-0000-4000-8000-000000000001
logsource: {category: webproxy-test}
detection:
  sel: {Computer: '*'}
  condition: sel
`;
    const win = { Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS1' }, EventData: { Image: 'x' } } };
    expect(runAll(proxy, [win])).toHaveLength(0);
    expect(runAll(proxy, [{ Computer: 'proxy1', url: 'http://x' }])).toHaveLength(1);
  });
});
