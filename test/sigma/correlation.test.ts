import { describe, expect, it } from 'vitest';
import { runAll } from './helpers.js';

const base = (name: string, field: string, value: string) => `title: ${name}
name: ${name}
id: 11111111-0000-4000-8000-${name.padStart(12, '0').slice(-12).replace(/[^0-9a-f]/g, '0')}
logsource: {product: test}
detection:
  sel:
    ${field}: ${value}
  condition: sel
---
`;

const t = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();
const login = (s: number, user: string, host = 'h1', extra: Record<string, unknown> = {}) => ({ Action: 'fail', User: user, Computer: host, timestamp: t(s), ...extra });

const corr = (type: string, cond: string, extra = '') => `${base('fail', 'Action', 'fail')}title: many failures
id: 22222222-0000-4000-8000-000000000001
level: high
correlation:
  type: ${type}
  rules: [fail]
  group-by: [Computer]
  timespan: 10s
${cond}${extra}
`;

describe('correlation rules (Sigma correlation spec)', () => {
  it('event_count fires once per window when the count is reached, per group', () => {
    const events = [login(0, 'a'), login(1, 'a'), login(2, 'a', 'h2'), login(3, 'a')];
    const hits = runAll(corr('event_count', '  condition: {gte: 3}'), events).filter((d) => d.kind === 'correlation');
    expect(hits).toHaveLength(1);
    expect(hits[0].correlation!.group).toEqual({ Computer: 'h1' });
    expect(hits[0].correlation!.count).toBe(3);
    expect(hits[0].correlation!.events.map((e) => e.loc.line)).toEqual([1, 2, 4]);
  });
  it('windows slide: events further apart than the timespan do not add up', () => {
    const events = [login(0, 'a'), login(6, 'a'), login(12, 'a'), login(18, 'a')];
    expect(runAll(corr('event_count', '  condition: {gte: 3}'), events).filter((d) => d.kind === 'correlation')).toHaveLength(0);
    const close = [login(0, 'a'), login(6, 'a'), login(12, 'a'), login(14, 'a')];
    expect(runAll(corr('event_count', '  condition: {gte: 3}'), close).filter((d) => d.kind === 'correlation')).toHaveLength(1);
  });
  it('value_count counts distinct values of a field', () => {
    const same = [login(0, 'a'), login(1, 'a'), login(2, 'a')];
    const rule = corr('value_count', '  condition: {field: User, gte: 3}');
    expect(runAll(rule, same).filter((d) => d.kind === 'correlation')).toHaveLength(0);
    const spray = [login(0, 'a'), login(1, 'b'), login(2, 'c')];
    expect(runAll(rule, spray).filter((d) => d.kind === 'correlation')).toHaveLength(1);
  });
  it('value_sum, value_avg and value_percentile', () => {
    const ev = (s: number, n: number) => login(s, 'a', 'h1', { Bytes: n });
    const events = [ev(0, 10), ev(1, 20), ev(2, 100)];
    expect(runAll(corr('value_sum', '  condition: {field: Bytes, gte: 130}'), events).filter((d) => d.kind === 'correlation')).toHaveLength(1);
    expect(runAll(corr('value_sum', '  condition: {field: Bytes, gte: 131}'), events).filter((d) => d.kind === 'correlation')).toHaveLength(0);
    expect(runAll(corr('value_avg', '  condition: {field: Bytes, gt: 40}'), events).filter((d) => d.kind === 'correlation')).toHaveLength(1);
    expect(runAll(corr('value_percentile', '  condition: {field: Bytes, percentile: 50, gte: 20}'), events).filter((d) => d.kind === 'correlation').length).toBeGreaterThan(0);
    expect(runAll(corr('value_percentile', '  condition: {field: Bytes, percentile: 50, gte: 21}'), events).filter((d) => d.kind === 'correlation')).toHaveLength(0);
  });
  const two = `${base('recon', 'Action', 'recon')}${base('dump', 'Action', 'dump')}title: chain
id: 33333333-0000-4000-8000-000000000001
level: critical
correlation:
  type: TYPE
  rules: [recon, dump]
  group-by: [Computer]
  timespan: 1m
`;
  const act = (s: number, a: string) => ({ Action: a, Computer: 'h1', timestamp: t(s) });
  it('temporal: all rules within the window, any order', () => {
    const rule = two.replace('TYPE', 'temporal');
    expect(runAll(rule, [act(0, 'dump'), act(5, 'recon')]).filter((d) => d.kind === 'correlation')).toHaveLength(1);
    expect(runAll(rule, [act(0, 'dump'), act(5, 'dump')]).filter((d) => d.kind === 'correlation')).toHaveLength(0);
  });
  it('temporal_ordered: in the order listed', () => {
    const rule = two.replace('TYPE', 'temporal_ordered');
    expect(runAll(rule, [act(0, 'dump'), act(5, 'recon')]).filter((d) => d.kind === 'correlation')).toHaveLength(0);
    expect(runAll(rule, [act(0, 'recon'), act(5, 'dump')]).filter((d) => d.kind === 'correlation')).toHaveLength(1);
  });
  it('base rules referenced by a correlation are not reported unless generate: true', () => {
    const rule = two.replace('TYPE', 'temporal');
    expect(runAll(rule, [act(0, 'recon')])).toHaveLength(0);
    expect(runAll(rule.replace('timespan: 1m', 'timespan: 1m\n  generate: true'), [act(0, 'recon')])).toHaveLength(1);
  });
  it('aliases map differently named fields of each rule to one group-by name', () => {
    const rule = `${base('a', 'Kind', 'a')}${base('b', 'Kind', 'b')}title: aliased
id: 44444444-0000-4000-8000-000000000001
correlation:
  type: temporal
  rules: [a, b]
  group-by: [ip]
  timespan: 1m
  aliases:
    ip:
      a: SourceIp
      b: DestinationIp
`;
    const hits = runAll(rule, [{ Kind: 'a', SourceIp: '1.2.3.4', timestamp: t(0) }, { Kind: 'b', DestinationIp: '1.2.3.4', timestamp: t(1) }]).filter((d) => d.kind === 'correlation');
    expect(hits).toHaveLength(1);
    expect(hits[0].correlation!.group).toEqual({ ip: '1.2.3.4' });
  });
  it('correlations chain: a correlation can reference another', () => {
    const rule = `${corr('event_count', '  condition: {gte: 2}').replace('title: many failures', 'title: many failures\nname: burst')}---
title: repeated bursts
id: 55555555-0000-4000-8000-000000000001
correlation:
  type: event_count
  rules: [burst]
  group-by: [Computer]
  timespan: 1h
  condition: {gte: 2}
`;
    const events = [login(0, 'a'), login(1, 'a'), login(20, 'a'), login(21, 'a')];
    const hits = runAll(rule, events).filter((d) => d.kind === 'correlation');
    expect(hits.map((h) => h.rule.title)).toEqual(['many failures', 'many failures', 'repeated bursts']);
  });
});

describe('meta filters (sigma-filters-specification)', () => {
  it('a filter document suppresses matches of the rules it names', () => {
    const rules = `title: admin tool
id: 66666666-0000-4000-8000-000000000001
logsource: {product: windows, category: process_creation}
detection:
  sel: {Tool: psexec}
  condition: sel
---
title: allow the admin workstation
logsource: {product: windows, category: process_creation}
filter:
  rules: [66666666-0000-4000-8000-000000000001]
  sel: {Computer: ADMIN01}
  condition: not sel
`;
    const ev = (host: string) => ({ EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Tool: 'psexec', Computer: host });
    expect(runAll(rules, [ev('WS1')])).toHaveLength(1);
    expect(runAll(rules, [ev('ADMIN01')])).toHaveLength(0);
  });
});
