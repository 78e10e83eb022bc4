/**
 * The one test suite for AppStore: every implementation (SQLite, PostgreSQL) runs it.
 * `open()` returns a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, Incident } from '../../src/alerts/index.js';
import type { AppStore } from '../../src/store/index.js';

const alert = (id: string, orgId: string, incidentId: string, extra: Partial<Alert> = {}): Alert => ({
  id, orgId, incidentId, dedupKey: id, kind: 'sigma', ruleId: 'rule-1', ruleTitle: 'Mimikatz Use', level: 'high',
  tags: ['attack.credential-access'], tactics: ['credential-access'], techniques: ['T1003'], host: 'WS1', user: 'alice',
  firstSeen: 1000, lastSeen: 2000, count: 1, fields: { CommandLine: 'sekurlsa::logonpasswords' }, eventSeqs: [1],
  createdAt: 1, updatedAt: 1, ...extra,
});
const incident = (id: string, orgId: string, extra: Partial<Incident> = {}): Incident => ({
  id, orgId, title: 'Mimikatz on WS1', status: 'new', severity: 'high', hosts: ['WS1'], users: ['alice'],
  tactics: ['credential-access'], groupedBy: [], alertCount: 1, firstSeen: 1000, lastSeen: 2000, timeline: [], notes: [],
  history: [], createdAt: 1, updatedAt: 1, ...extra,
});

export function appStoreSuite(name: string, open: () => Promise<AppStore>): void {
  describe(`AppStore: ${name}`, () => {
    let s: AppStore;
    beforeEach(async () => {
      s = await open();
    });
    afterEach(async () => {
      await s.close();
    });

    it('creates organisations, users (unique e-mail, case-insensitive) and scopes users by org', async () => {
      const a = await s.createOrg({ name: 'A', slug: 'a' });
      const b = await s.createOrg({ name: 'B', slug: 'b' });
      expect((await s.getOrgBySlug('b'))?.id).toBe(b.id);
      const u = await s.createUser({ orgId: a.id, email: 'x@a.org', name: 'X', role: 'analyst', passwordHash: 'h' });
      await expect(s.createUser({ orgId: b.id, email: 'X@a.org', name: 'Y', role: 'viewer', passwordHash: 'h' })).rejects.toThrow();
      expect((await s.getUserByEmail('X@A.org'))?.id).toBe(u.id);
      expect(await s.getUser(b.id, u.id)).toBeUndefined();
      expect((await s.listUsers(a.id)).map((x) => x.email)).toEqual(['x@a.org']);
      const up = await s.updateUser(a.id, u.id, { role: 'admin', disabled: true });
      expect(up).toMatchObject({ role: 'admin', disabled: true });
      expect(await s.updateUser(b.id, u.id, { role: 'viewer' })).toBeUndefined();
      expect(await s.countUsers()).toBe(1);
    });

    it('stores tokens by hash, revokes them within the org only, expires sessions', async () => {
      const a = await s.createOrg({ name: 'A', slug: 'a' });
      const b = await s.createOrg({ name: 'B', slug: 'b' });
      const t = await s.createToken({ orgId: a.id, name: 'dc01', kind: 'source', role: 'analyst', hash: 'h1', prefix: 'ward_ab' });
      await s.createToken({ orgId: a.id, name: 'sess', kind: 'session', role: 'admin', hash: 'h2', prefix: 'x', expiresAt: 5 });
      expect((await s.findTokenByHash('h1'))?.id).toBe(t.id);
      expect((await s.listTokens(a.id)).map((x) => x.name)).toEqual(['dc01']);
      expect(await s.revokeToken(b.id, t.id)).toBe(false);
      expect(await s.revokeToken(a.id, t.id)).toBe(true);
      expect((await s.findTokenByHash('h1'))?.revoked).toBe(true);
      await s.touchToken(t.id, 42);
      expect((await s.findTokenByHash('h1'))?.lastUsedAt).toBe(42);
      expect(await s.deleteExpiredTokens(10)).toBe(1);
      expect(await s.findTokenByHash('h2')).toBeUndefined();
    });

    it('appends events with increasing sequence numbers and counts sources', async () => {
      const a = await s.createOrg({ name: 'A', slug: 'a' });
      const b = await s.createOrg({ name: 'B', slug: 'b' });
      const seqs = await s.appendEvents(a.id, [
        { source: 's1', format: 'json', receivedAt: 10, raw: '{"a":1}' },
        // the same text as its UTF-8 bytes (a line sliced out of a request body) is stored as text
        { source: 's2', format: 'json', receivedAt: 11, raw: Buffer.from('{"a":2}') },
      ]);
      const seqB = await s.appendEvents(b.id, [{ source: 's1', format: 'json', receivedAt: 12, raw: '{"b":1}' }]);
      expect(seqs[1]).toBeGreaterThan(seqs[0]);
      expect(seqB[0]).toBeGreaterThan(seqs[1]);
      expect(await s.lastEventSeq()).toBe(seqB[0]);
      expect((await s.readEventsAfter(seqs[0], 10)).map((e) => e.raw)).toEqual(['{"a":2}', '{"b":1}']);
      expect(await s.getEvents(b.id, seqs)).toEqual([]);
      expect((await s.getEvents(a.id, seqs)).map((e) => e.source)).toEqual(['s1', 's2']);
      expect(await s.countEvents(a.id)).toBe(2);
      expect((await s.listEvents(a.id, { limit: 1 })).map((e) => e.seq)).toEqual([seqs[1]]);
      expect(await s.listSources(a.id)).toEqual([
        { source: 's1', events: 1, lastSeen: 10 },
        { source: 's2', events: 1, lastSeen: 11 },
      ]);
    });

    it('appends JSON lines given as bytes (the ingestion fast path, where implemented) like events', async () => {
      const a = await s.createOrg({ name: 'A', slug: 'a' });
      const buf = Buffer.from('{"a":1}\n{"b":"é"}');
      const offsets = Uint32Array.of(0, 7, 8, buf.length);
      const lines = { source: 's1', format: 'ndjson', receivedAt: 5, buf, offsets, count: 2 };
      const seqs = s.appendLines
        ? Array.from(await s.appendLines(a.id, lines))
        : await s.appendEvents(a.id, [0, 1].map((i) => ({ ...lines, raw: buf.subarray(offsets[2 * i], offsets[2 * i + 1]) })));
      expect(seqs[1]).toBe(seqs[0] + 1);
      expect((await s.getEvents(a.id, seqs)).map((e) => [e.raw, e.format, e.receivedAt])).toEqual([['{"a":1}', 'ndjson', 5], ['{"b":"é"}', 'ndjson', 5]]);
      expect(await s.listSources(a.id)).toEqual([{ source: 's1', events: 2, lastSeen: 5 }]);
    });

    it('reads back thousands of events of two organisations exactly: after a seq, by seqs, newest first by source', async () => {
      const a = await s.createOrg({ name: 'A', slug: 'a' });
      const b = await s.createOrg({ name: 'B', slug: 'b' });
      // Requests of varied sizes (1 to 300 events, some ~40 KiB events), interleaved between the
      // organisations and sources, as bytes and as events: whatever a store groups them into,
      // every read must give each event back with its own seq, org, source and text.
      const all: { seq: number; org: string; source: string; raw: string }[] = [];
      const sizes = [1, 300, 2, 64, 65, 7, 129, 3, 200, 1];
      for (let r = 0; r < sizes.length; r++) {
        const org = r % 3 === 1 ? b.id : a.id;
        const source = `src${r % 2}`;
        const raws = Array.from({ length: sizes[r] }, (_, i) => JSON.stringify({ r, i, pad: i % 50 === 7 ? 'x'.repeat(40_000) : 'é' }));
        let seqs: number[];
        if (r % 2 === 0 && s.appendLines) {
          const parts = raws.map((x) => Buffer.from(`${x}\r\n`));
          const buf = Buffer.concat(parts);
          const offsets = new Uint32Array(2 * raws.length);
          let pos = 0;
          parts.forEach((p, i) => {
            offsets[2 * i] = pos;
            offsets[2 * i + 1] = pos + p.length - 2;
            pos += p.length;
          });
          seqs = Array.from(await s.appendLines(org, { source, format: 'ndjson', receivedAt: r, buf, offsets, count: raws.length }));
        } else {
          seqs = await s.appendEvents(org, raws.map((raw) => ({ source, format: 'ndjson', receivedAt: r, raw })));
        }
        seqs.forEach((seq, i) => all.push({ seq, org, source, raw: raws[i] }));
      }
      for (let i = 1; i < all.length; i++) expect(all[i].seq).toBeGreaterThan(all[i - 1].seq);
      expect(await s.lastEventSeq()).toBe(all[all.length - 1].seq);
      const pick = (e: { seq: number; orgId?: string; org?: string; source: string; raw: string }) => [e.seq, e.orgId ?? e.org, e.source, e.raw];

      // Detection catching up: from any point (inside a request's run, at its edges), any page size.
      for (const [from, limit] of [[0, 10_000], [all[0].seq, 5], [all[70].seq, 200], [all[300].seq, 1], [all[all.length - 2].seq, 10]]) {
        const want = all.filter((e) => e.seq > from).slice(0, limit);
        expect((await s.readEventsAfter(from, limit)).map(pick)).toEqual(want.map(pick));
      }
      expect(await s.readEventsAfter(all[all.length - 1].seq, 10)).toEqual([]);

      // Evidence lookup: scattered seqs, duplicates, unknown ones, the other organisation's.
      const ask = [all[500].seq, all[3].seq, all[3].seq, all[700].seq, all[0].seq, all[all.length - 1].seq + 5, all[401].seq];
      const wantA = [...new Set(ask)].sort((x, y) => x - y).map((q) => all.find((e) => e.seq === q && e.org === a.id)).filter((e) => e !== undefined);
      expect((await s.getEvents(a.id, ask)).map(pick)).toEqual(wantA.map(pick));
      expect((await s.getEvents(b.id, ask)).every((e) => e.orgId === b.id)).toBe(true);

      // Listing, newest first: by source, before a seq (inside a run), pages of any size.
      const newest = (org: string, f: (e: (typeof all)[0]) => boolean, limit: number) => all.filter((e) => e.org === org && f(e)).reverse().slice(0, limit);
      expect((await s.listEvents(a.id, { limit: 1000 })).map(pick)).toEqual(newest(a.id, () => true, 1000).map(pick));
      expect((await s.listEvents(a.id, { source: 'src1', limit: 70 })).map(pick)).toEqual(newest(a.id, (e) => e.source === 'src1', 70).map(pick));
      const before = all[340].seq;
      expect((await s.listEvents(b.id, { beforeSeq: before, limit: 30 })).map(pick)).toEqual(newest(b.id, (e) => e.seq < before, 30).map(pick));
      expect(await s.countEvents(a.id)).toBe(all.filter((e) => e.org === a.id).length);
    });

    it('saves alerts, incidents and the cursor together; lists with filters and search, scoped by org', async () => {
      const a = await s.createOrg({ name: 'A', slug: 'a' });
      const b = await s.createOrg({ name: 'B', slug: 'b' });
      expect(await s.getCursor('detect')).toBe(0);
      await s.saveDetectionBatch({
        alerts: [alert('al1', a.id, 'in1'), alert('al2', a.id, 'in1', { level: 'low', host: 'SRV', ruleTitle: 'Other', fields: {}, tactics: [], lastSeen: 3000 })],
        incidents: [incident('in1', a.id)],
        cursor: { name: 'detect', seq: 7 },
      });
      await s.saveDetectionBatch({ alerts: [alert('al3', b.id, 'in2')], incidents: [incident('in2', b.id)], cursor: { name: 'detect', seq: 5 } });
      expect(await s.getCursor('detect')).toBe(7); // never moves backwards
      expect((await s.listAlerts(a.id, {})).items.map((x) => x.id)).toEqual(['al2', 'al1']);
      expect((await s.listAlerts(a.id, { levels: ['high'] })).items.map((x) => x.id)).toEqual(['al1']);
      expect((await s.listAlerts(a.id, { q: 'LOGONPASSWORDS' })).items.map((x) => x.id)).toEqual(['al1']);
      expect((await s.listAlerts(a.id, { q: '100%' })).total).toBe(0);
      expect((await s.listAlerts(a.id, { host: 'srv' })).items.map((x) => x.id)).toEqual(['al2']);
      expect((await s.listAlerts(a.id, { tactic: 'credential-access' })).items.map((x) => x.id)).toEqual(['al1']);
      expect(await s.getAlert(b.id, 'al1')).toBeUndefined();
      expect((await s.getAlert(a.id, 'al1'))?.fields).toEqual({ CommandLine: 'sekurlsa::logonpasswords' });
      const stats = await s.alertStats(a.id, 0, 1000);
      expect(stats).toMatchObject({ total: 2, byLevel: { high: 1, low: 1 }, byTactic: { 'credential-access': 1 } });
      expect(stats.overTime).toEqual([{ time: 1000, count: 2 }]);
      // update in place
      await s.saveDetectionBatch({ alerts: [alert('al1', a.id, 'in1', { count: 5, lastSeen: 9000 })], incidents: [] });
      expect((await s.getAlert(a.id, 'al1'))?.count).toBe(5);
      expect((await s.listAlerts(a.id, {})).total).toBe(2);
    });

    it('lists incidents by status, saves workflow changes, loads recent open state', async () => {
      const a = await s.createOrg({ name: 'A', slug: 'a' });
      await s.saveDetectionBatch({ alerts: [alert('al1', a.id, 'in1')], incidents: [incident('in1', a.id), incident('in2', a.id, { lastSeen: 50 })] });
      const inc = (await s.getIncident(a.id, 'in1'))!;
      inc.status = 'closed';
      inc.notes.push({ time: 1, author: 'x', text: 'done' });
      await s.saveIncident(inc);
      expect((await s.listIncidents(a.id, { statuses: ['closed'] })).items.map((x) => x.id)).toEqual(['in1']);
      expect((await s.listIncidents(a.id, { statuses: ['new', 'triage'] })).total).toBe(1);
      expect((await s.listIncidents(a.id, { q: 'ws1' })).total).toBe(2);
      expect((await s.getIncident(a.id, 'in1'))?.notes).toHaveLength(1);
      const recent = await s.loadRecent(1500);
      expect(recent.incidents).toEqual([]);
      expect(recent.alerts.map((x) => x.id)).toEqual(['al1']);
      expect((await s.loadRecent(0)).incidents.map((x) => x.id)).toEqual(['in2']);
    });

    it('keeps rule switches per organisation', async () => {
      await s.setRuleEnabled('o1', 'r1', false);
      await s.setRuleEnabled('o1', 'r2', false);
      await s.setRuleEnabled('o1', 'r2', true);
      await s.setRuleEnabled('o2', 'r3', false);
      const d = await s.disabledRules();
      expect([...(d.get('o1') ?? [])]).toEqual(['r1']);
      expect([...(d.get('o2') ?? [])]).toEqual(['r3']);
    });
  });
}
