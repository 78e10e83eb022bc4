import { describe, expect, it } from 'vitest';
import type { Detection, Detector } from '../../src/detect/index.js';
import { fileURLToPath } from 'node:url';
import { Pipeline, RuleManager, sigmaRuleLoader, SyslogFramer } from '../../src/serve/index.js';
import { packLines } from '../../src/serve/detection.js';
import { defaultDetectionThreads } from '../../src/serve/backend.js';
import { SqliteAppStore } from '../../src/store/index.js';

/** A hand-written detector: fires on events whose `bad` field is true. */
const badDetector = (): Detector => ({
  name: 'bad',
  process: (ev): Detection[] =>
    ev.get('bad') === true
      ? [{ kind: 'sigma', rule: { id: 'r-bad', title: 'Bad thing', level: 'high', tags: ['attack.impact'] }, timestamp: ev.timestamp, host: String(ev.get('host')), loc: ev.loc, fields: { bad: true } }]
      : [],
  flush: () => [],
});
const loader = () => ({ createDetector: badDetector, rules: [{ id: 'r-bad', title: 'Bad thing', level: 'high' as const, tags: [] }], problems: [] });

async function setup(store: SqliteAppStore) {
  const rules = new RuleManager(store, loader);
  await rules.init();
  return new Pipeline(store, rules);
}

describe('Pipeline', () => {
  it('stores before acknowledging, then detects and advances the cursor with the alerts', async () => {
    const store = new SqliteAppStore(':memory:');
    const org = await store.createOrg({ name: 'o', slug: 'o' });
    const p = await setup(store);
    const r = await p.ingest(org.id, 'src', 'json', [{ data: { host: 'h1', bad: true } }, { data: { host: 'h2' } }]);
    expect(r.accepted).toBe(2);
    expect(await store.countEvents(org.id)).toBe(2);
    await p.idle();
    expect((await store.listAlerts(org.id, {})).items.map((a) => a.host)).toEqual(['h1']);
    expect(await store.getCursor('detect')).toBe(r.lastSeq);
    expect(p.latency.count).toBe(1);
    await store.close();
  });

  it('after a crash, runs detection on stored events past the cursor exactly once', async () => {
    const store = new SqliteAppStore(':memory:');
    const org = await store.createOrg({ name: 'o', slug: 'o' });
    const p1 = await setup(store);
    await p1.ingest(org.id, 'src', 'json', [{ data: { host: 'before', bad: true } }]);
    await p1.idle();
    // stored and acknowledged, but the process died before detection ran:
    await store.appendEvents(org.id, [
      { source: 'src', format: 'json', receivedAt: 1, raw: JSON.stringify({ host: 'tail-1', bad: true }) },
      { source: 'src', format: 'json', receivedAt: 1, raw: JSON.stringify({ host: 'tail-2', bad: true }) },
    ]);
    const p2 = await setup(store);
    expect(await p2.recover()).toBe(2);
    const hosts = (await store.listAlerts(org.id, {})).items.map((a) => a.host).sort();
    expect(hosts).toEqual(['before', 'tail-1', 'tail-2']);
    const p3 = await setup(store);
    expect(await p3.recover()).toBe(0);
    expect((await store.listAlerts(org.id, {})).total).toBe(3);
    await store.close();
  });

  it('keeps the results of a save that failed for the next one (the cursor never passes them)', async () => {
    const store = new SqliteAppStore(':memory:');
    const org = await store.createOrg({ name: 'o', slug: 'o' });
    const p = await setup(store);
    const save = store.saveDetectionBatch.bind(store);
    let failures = 1;
    store.saveDetectionBatch = async (b) => {
      if (failures-- > 0) throw new Error('disk full');
      return save(b);
    };
    await p.ingest(org.id, 'src', 'json', [{ data: { host: 'h1', bad: true } }]);
    await p.idle();
    expect((await store.listAlerts(org.id, {})).total).toBe(0);
    expect(await store.getCursor('detect')).toBe(0);
    const r = await p.ingest(org.id, 'src', 'json', [{ data: { host: 'h2', bad: true } }]);
    await p.idle();
    expect((await store.listAlerts(org.id, {})).items.map((a) => a.host).sort()).toEqual(['h1', 'h2']);
    expect(await store.getCursor('detect')).toBe(r.lastSeq);
    await store.close();
  });

  it('gives each organisation its own detector and honours per-organisation rule switches', async () => {
    const store = new SqliteAppStore(':memory:');
    const a = await store.createOrg({ name: 'a', slug: 'a' });
    const b = await store.createOrg({ name: 'b', slug: 'b' });
    const p = await setup(store);
    const rm = (p as unknown as { rules: RuleManager }).rules;
    expect(await rm.setEnabled(a.id, 'r-bad', false)).toBe(true);
    await p.ingest(a.id, 's', 'json', [{ data: { host: 'x', bad: true } }]);
    await p.ingest(b.id, 's', 'json', [{ data: { host: 'x', bad: true } }]);
    await p.idle();
    expect((await store.listAlerts(a.id, {})).total).toBe(0);
    expect((await store.listAlerts(b.id, {})).total).toBe(1);
    await store.close();
  });
});

const RULES = fileURLToPath(new URL('../fixtures/serve/rules', import.meta.url));
const CORRELATION = fileURLToPath(new URL('../fixtures/serve/correlation', import.meta.url));
const mimikatz = (host: string) =>
  JSON.stringify({ Channel: 'Security', EventID: 4688, Computer: host, SubjectUserName: 'u', CommandLine: 'x.exe sekurlsa::logonpasswords' });
const lines = (texts: string[]) => ({ ...packLines(texts.map((t) => Buffer.from(t))), count: texts.length });

describe('Pipeline with the detection worker', () => {
  it('detects in a worker thread from the stored bytes, in steps, and reloads its rules with the manager', async () => {
    const store = new SqliteAppStore(':memory:');
    const org = await store.createOrg({ name: 'o', slug: 'o' });
    const rules = new RuleManager(store, sigmaRuleLoader([RULES]));
    await rules.init();
    const p = new Pipeline(store, rules, undefined, { detectBatch: 3 });
    try {
      expect(p.detection).toBe('worker');
      await p.recover();
      const benign = JSON.stringify({ Channel: 'Security', EventID: 4688, Computer: 'quiet', CommandLine: 'notepad.exe' });
      const r = await p.ingestLines(org.id, 'src', 'ndjson', lines([mimikatz('h1'), benign, mimikatz('h2'), benign, mimikatz('h3')]));
      expect(r.accepted).toBe(5);
      await p.idle();
      expect((await store.listAlerts(org.id, {})).items.map((a) => a.host).sort()).toEqual(['h1', 'h2', 'h3']);
      expect(await store.getCursor('detect')).toBe(r.lastSeq);
      expect(p.counters.detected).toBe(5);
      await rules.reload();
      await p.ingest(org.id, 'src', 'json', [{ data: JSON.parse(mimikatz('h4')) as Record<string, unknown> }]);
      await p.idle();
      expect((await store.listAlerts(org.id, {})).total).toBe(4);
    } finally {
      await p.close();
      await store.close();
    }
  });

  it('splits one organisation over several detection threads and correlates their matches in event order', async () => {
    // Base-rule matches spread over steps that alternate between threads; the correlation
    // (3 matches per host) must fire exactly where it fires with one thread.
    const events = ['h1', 'h2', 'h1', 'x', 'h2', 'h1', 'h1', 'h2'].map((h) =>
      h === 'x' ? JSON.stringify({ Channel: 'Security', EventID: 4688, Computer: 'quiet', CommandLine: 'notepad.exe' }) : mimikatz(h),
    );
    const run = async (threads: number) => {
      const store = new SqliteAppStore(':memory:');
      const org = await store.createOrg({ name: 'o', slug: 'o' });
      const rules = new RuleManager(store, sigmaRuleLoader([RULES, CORRELATION]));
      await rules.init();
      const p = new Pipeline(store, rules, undefined, { detectBatch: 1, detectionThreads: threads });
      try {
        expect(p.threads).toBe(threads);
        await p.recover();
        await p.ingestLines(org.id, 'src', 'ndjson', lines(events));
        await p.idle();
        const alerts = (await store.listAlerts(org.id, { limit: 100 })).items;
        return alerts
          .filter((a) => a.ruleId === '3d5e7a10-2b4c-4e6f-8a9b-0c1d2e3f4a5b')
          .map((a) => `${a.host} ${a.count}`)
          .sort();
      } finally {
        await p.close();
        await store.close();
      }
    };
    const one = await run(1);
    expect(one).toEqual(['h1 1', 'h2 1']);
    expect(await run(2)).toEqual(one);
  });

  it('runs a step again when its detection thread dies, so no stored event goes undetected', async () => {
    const store = new SqliteAppStore(':memory:');
    const org = await store.createOrg({ name: 'o', slug: 'o' });
    const rules = new RuleManager(store, sigmaRuleLoader([RULES]));
    await rules.init();
    const logs: string[] = [];
    const p = new Pipeline(store, rules, undefined, { detectBatch: 1, detectionThreads: 1, log: (m) => logs.push(m) });
    try {
      await p.recover();
      const pool = (p as unknown as { backend: { workers: { worker: { terminate(): Promise<number> } }[] } }).backend;
      const dying = pool.workers[0].worker.terminate();
      // Steps sent now reach a thread that is stopping: they fail, and are run again on its successor.
      const r = await p.ingestLines(org.id, 'src', 'ndjson', lines([mimikatz('h1'), mimikatz('h2'), mimikatz('h3')]));
      await dying;
      await p.idle();
      expect((await store.listAlerts(org.id, {})).items.map((a) => a.host).sort()).toEqual(['h1', 'h2', 'h3']);
      expect(await store.getCursor('detect')).toBe(r.lastSeq);
      expect(p.counters.skipped).toBe(0);
      expect(logs.some((m) => /running it again/.test(m))).toBe(true);
    } finally {
      await p.close();
      await store.close();
    }
  });

  it('holds a request while detection is behind and lets it in once there is room', async () => {
    const store = new SqliteAppStore(':memory:');
    const org = await store.createOrg({ name: 'o', slug: 'o' });
    const p = await setup(store);
    const internals = p as unknown as { queuedEvents: number };
    internals.queuedEvents = 60_000; // as if detection had stalled: beyond maxQueue
    const refused = await p.admitWhenReady(org.id, 10, 1);
    expect(refused).toMatchObject({ ok: false, status: 503 });
    const waiting = p.admitWhenReady(org.id, 10, 60_000);
    internals.queuedEvents = 0;
    // A detection pass that catches up lets the waiting requests in.
    await p.ingest(org.id, 'src', 'json', [{ data: { host: 'h' } }]);
    expect(await waiting).toEqual({ ok: true });
    await p.close();
    await store.close();
  });
});

describe('SyslogFramer (RFC 6587)', () => {
  it('splits octet-counted and LF-terminated frames across chunk boundaries', () => {
    const f = new SyslogFramer();
    const a = '<13>1 - h a - - - one';
    const stream = Buffer.from(`${a.length} ${a}<13>two\n<13>three\r\n\n4 <1>x`);
    const out: string[] = [];
    for (let i = 0; i < stream.length; i += 3) out.push(...f.push(stream.subarray(i, i + 3)));
    expect(out).toEqual([a, '<13>two', '<13>three\r', '<1>x']);
    expect(f.end()).toEqual([]);
  });

  it('skips oversized octet-counted frames and keeps going', () => {
    const f = new SyslogFramer(10);
    const out = f.push(Buffer.from(`20 ${'x'.repeat(20)}<1>ok\n`));
    expect(out).toEqual(['<1>ok']);
    expect(f.errors).toBe(1);
  });
});

describe('default detection threads', () => {
  it('one per core but one, never fewer than two on a multi-core machine, at most four', () => {
    expect([1, 2, 3, 4, 6, 16].map((c) => defaultDetectionThreads(c))).toEqual([1, 2, 2, 3, 4, 4]);
  });
});
