import { randomUUID } from 'node:crypto';
import { levelRank, type Detection, type Level } from '../detect/index.js';
import { alertFacts, referencedValues, userKey, type AlertFacts } from './build.js';
import { sortTactics, tacticRank } from './attack.js';
import type { Alert, Incident } from './types.js';
import { HostDirectory } from './hosts.js';
import type { WardEvent } from '../normalize/index.js';

export interface AlertEngineOptions {
  /** Repeats of the same rule on the same host/user within this window update one alert. */
  dedupWindowMs?: number;
  /** Alerts on the same host or user within this window join one incident. */
  groupWindowMs?: number;
  /** An alert on another host joins an incident when it continues its ATT&CK chain within this. */
  chainWindowMs?: number;
  /** Evidence events kept per alert and timeline entries per incident. */
  maxEvidence?: number;
  maxTimeline?: number;
  newId?: (kind: 'alert' | 'incident') => string;
  clock?: () => number;
}

export interface AlertChange {
  alert: Alert;
  incident: Incident;
  newAlert: boolean;
  newIncident: boolean;
}

interface IncidentState {
  incident: Incident;
  /** Lower-cased host names (full and first label) and values the incident's alerts referenced. */
  hostKeys: Set<string>;
  refs: Set<string>;
}

const shortHost = (h: string): string => h.toLowerCase().split('.')[0];

/**
 * Detections → deduplicated alerts → incidents. Keeps the open, recent state in memory (the
 * store holds everything); `seed` rebuilds that state after a restart. Grouping, in order:
 *   1. same host or same (non-generic) user within `groupWindowMs` of the incident's last alert;
 *   2. an ATT&CK chain across hosts: the alert's tactic is not earlier in the kill chain than the
 *      incident's latest tactic, within `chainWindowMs`, and one side names the other's host
 *      (e.g. a logon on B whose source workstation is A, after credential access on A).
 * Windows are measured in event time, so replayed or late logs group as they happened.
 */
export class AlertEngine {
  private readonly dedupWindow: number;
  private readonly groupWindow: number;
  private readonly chainWindow: number;
  private readonly maxEvidence: number;
  private readonly maxTimeline: number;
  private readonly newId: (kind: 'alert' | 'incident') => string;
  private readonly clock: () => number;
  /** Which host owns which address, per organisation (fed by `learn` for every event). */
  private readonly directories = new Map<string, HostDirectory>();
  private readonly alertsByKey = new Map<string, Alert>();
  private readonly incidents = new Map<string, IncidentState>();

  constructor(opts: AlertEngineOptions = {}) {
    this.dedupWindow = opts.dedupWindowMs ?? 10 * 60_000;
    this.groupWindow = opts.groupWindowMs ?? 60 * 60_000;
    this.chainWindow = opts.chainWindowMs ?? 24 * 60 * 60_000;
    this.maxEvidence = opts.maxEvidence ?? 20;
    this.maxTimeline = opts.maxTimeline ?? 500;
    this.newId = opts.newId ?? ((k) => `${k === 'alert' ? 'al' : 'in'}_${randomUUID()}`);
    this.clock = opts.clock ?? Date.now;
  }

  /** Feeds the address → host directory of the event's organisation (every event, not only alerts). */
  learn(orgId: string, ev: WardEvent): void {
    let d = this.directories.get(orgId);
    if (!d) this.directories.set(orgId, (d = new HostDirectory()));
    d.learn(ev);
  }

  /** Records an (address, host) fact found by `addressFacts` in the detection thread. */
  learnAddress(orgId: string, ip: string, host: string): void {
    let d = this.directories.get(orgId);
    if (!d) this.directories.set(orgId, (d = new HostDirectory()));
    d.set(ip, host);
  }

  /** Restores recent alerts and open incidents loaded from the store. */
  seed(alerts: Alert[], incidents: Incident[]): void {
    for (const inc of incidents) this.trackIncident(inc);
    for (const a of alerts) {
      const prev = this.alertsByKey.get(a.dedupKey);
      if (!prev || prev.lastSeen <= a.lastSeen) this.alertsByKey.set(a.dedupKey, a);
      const st = this.incidents.get(a.incidentId);
      if (st) for (const v of Object.values(a.fields)) if (typeof v === 'string') st.refs.add(v.toLowerCase());
    }
  }

  /** The engine's live copy of an incident (workflow edits go through it to avoid lost updates). */
  getIncident(id: string): Incident | undefined {
    return this.incidents.get(id)?.incident;
  }

  /** Replaces (or drops, when closed) the live copy after a workflow change. */
  updateIncident(inc: Incident): void {
    if (inc.status === 'closed') this.incidents.delete(inc.id);
    else {
      const st = this.incidents.get(inc.id);
      if (st) st.incident = inc;
      else this.trackIncident(inc);
    }
  }

  /** Turns one detection into an alert change. `eventSeq` is the stored event it came from. */
  ingest(orgId: string, d: Detection, eventSeq?: number): AlertChange {
    const now = this.clock();
    const f = alertFacts(orgId, d, now);
    const existing = this.alertsByKey.get(f.dedupKey);
    if (existing && f.time - existing.lastSeen <= this.dedupWindow && f.time >= existing.firstSeen - this.dedupWindow) {
      const st = this.incidents.get(existing.incidentId);
      if (st && st.incident.status !== 'closed') {
        existing.count++;
        existing.lastSeen = Math.max(existing.lastSeen, f.time);
        existing.updatedAt = now;
        if (eventSeq !== undefined && existing.eventSeqs.length < this.maxEvidence) existing.eventSeqs.push(eventSeq);
        const inc = st.incident;
        inc.lastSeen = Math.max(inc.lastSeen, f.time);
        inc.updatedAt = now;
        return { alert: existing, incident: inc, newAlert: false, newIncident: false };
      }
    }
    const alert: Alert = {
      id: this.newId('alert'),
      orgId,
      incidentId: '',
      dedupKey: f.dedupKey,
      kind: d.kind,
      ruleId: d.rule.id,
      ruleTitle: d.rule.title,
      level: d.rule.level,
      tags: d.rule.tags ?? [],
      tactics: f.tactics,
      techniques: f.techniques,
      host: f.host,
      user: f.user,
      firstSeen: f.time,
      lastSeen: f.time,
      count: 1,
      fields: d.fields,
      eventSeqs: eventSeq !== undefined ? [eventSeq] : [],
      ruleDescription: d.rule.description,
      ruleSource: d.rule.source,
      explanation: d.explanation,
      createdAt: now,
      updatedAt: now,
    };
    if (d.correlation) alert.fields = { ...d.fields, ...d.correlation.group, count: d.correlation.count };
    const refs = referencedValues(d);
    const dir = this.directories.get(orgId);
    if (dir) {
      for (let i = 0, n = refs.length; i < n; i++) {
        const h = dir.resolve(refs[i]);
        if (h) refs.push(h);
      }
    }
    let st = this.findIncident(orgId, f, refs);
    const newIncident = !st;
    if (!st) st = this.trackIncident(this.openIncident(orgId, alert, now));
    alert.incidentId = st.incident.id;
    this.addToIncident(st, alert, f, refs, now, newIncident);
    this.alertsByKey.set(f.dedupKey, alert);
    this.evict(f.time);
    return { alert, incident: st.incident, newAlert: true, newIncident };
  }

  private findIncident(orgId: string, f: AlertFacts, refs: string[]): IncidentState | undefined {
    let best: IncidentState | undefined;
    let bestGap = Infinity;
    let chain: IncidentState | undefined;
    const host = f.host ? f.host.toLowerCase() : undefined;
    const user = f.user ? userKey(f.user) : undefined;
    const rank = f.tactics.length ? tacticRank(f.tactics[f.tactics.length - 1]) : -1;
    for (const st of this.incidents.values()) {
      const inc = st.incident;
      if (inc.orgId !== orgId || inc.status === 'closed') continue;
      const gap = Math.abs(f.time - inc.lastSeen);
      const sameHost = host !== undefined && (st.hostKeys.has(host) || st.hostKeys.has(shortHost(host)));
      const sameUser = user !== undefined && inc.users.some((u) => userKey(u) === user);
      if ((sameHost || sameUser) && gap <= this.groupWindow) {
        // Several incidents may qualify (one by host, one by user): the closest in time wins.
        if (!best || gap < bestGap) {
          best = st;
          bestGap = gap;
        }
        continue;
      }
      if (best || gap > this.chainWindow || rank < 0 || inc.tactics.length === 0 || !host) continue;
      // Measured against the first tactic of the incident: once a host is compromised, activity on
      // a host that names it continues the chain even if that host was already further along.
      const last = tacticRank(inc.tactics[0]);
      if (rank < last) continue;
      const linked = refs.some((r) => st.hostKeys.has(r) || st.hostKeys.has(shortHost(r))) ||
        st.refs.has(host) || st.refs.has(shortHost(host));
      if (linked && (!chain || inc.lastSeen > chain.incident.lastSeen)) chain = st;
    }
    if (best) return best;
    if (chain && !chain.incident.groupedBy.includes('chain')) chain.incident.groupedBy.push('chain');
    return chain;
  }

  private openIncident(orgId: string, a: Alert, now: number): Incident {
    return {
      id: this.newId('incident'),
      orgId,
      title: a.ruleTitle,
      status: 'new',
      severity: a.level,
      hosts: [],
      users: [],
      tactics: [],
      groupedBy: [],
      alertCount: 0,
      firstSeen: a.firstSeen,
      lastSeen: a.lastSeen,
      timeline: [],
      notes: [],
      history: [],
      createdAt: now,
      updatedAt: now,
    };
  }

  private addToIncident(st: IncidentState, a: Alert, f: AlertFacts, refs: string[], now: number, fresh: boolean): void {
    const inc = st.incident;
    if (!fresh) {
      if (a.host && inc.hosts.some((h) => h.toLowerCase() === a.host!.toLowerCase()) && !inc.groupedBy.includes('host')) inc.groupedBy.push('host');
      else if (a.user && inc.users.some((u) => userKey(u) === userKey(a.user!)) && !inc.groupedBy.includes('user')) inc.groupedBy.push('user');
    }
    if (a.host && !inc.hosts.some((h) => h.toLowerCase() === a.host!.toLowerCase())) {
      inc.hosts.push(a.host);
      st.hostKeys.add(a.host.toLowerCase());
      st.hostKeys.add(shortHost(a.host));
    }
    if (a.user && !inc.users.some((u) => userKey(u) === userKey(a.user!))) inc.users.push(a.user);
    for (const r of refs) if (st.refs.size < 2000) st.refs.add(r);
    inc.tactics = sortTactics([...inc.tactics, ...f.tactics]);
    if (levelRank(a.level) > levelRank(inc.severity)) inc.severity = a.level as Level;
    inc.alertCount++;
    inc.firstSeen = Math.min(inc.firstSeen, a.firstSeen);
    inc.lastSeen = Math.max(inc.lastSeen, a.lastSeen);
    inc.updatedAt = now;
    if (inc.timeline.length < this.maxTimeline) {
      const entry = {
        time: a.firstSeen, alertId: a.id, ruleTitle: a.ruleTitle, level: a.level,
        tactic: f.tactics[0], technique: f.techniques[0], host: a.host, user: a.user,
      };
      // Keep event-time order; detections mostly arrive in order, so insert from the end.
      let i = inc.timeline.length;
      while (i > 0 && inc.timeline[i - 1].time > entry.time) i--;
      inc.timeline.splice(i, 0, entry);
    }
    if (!inc.history.some((h) => h.change === 'title changed')) inc.title = incidentTitle(inc);
  }

  private trackIncident(inc: Incident): IncidentState {
    const st: IncidentState = { incident: inc, hostKeys: new Set(), refs: new Set() };
    for (const h of inc.hosts) {
      st.hostKeys.add(h.toLowerCase());
      st.hostKeys.add(shortHost(h));
    }
    this.incidents.set(inc.id, st);
    return st;
  }

  /** Drops state that can no longer match anything, so memory stays flat over long runs. */
  private evictCounter = 0;
  private evict(latest: number): void {
    if (++this.evictCounter % 1024 !== 0) return;
    const horizon = latest - Math.max(this.chainWindow, this.groupWindow, this.dedupWindow) * 2;
    for (const [k, a] of this.alertsByKey) if (a.lastSeen < horizon) this.alertsByKey.delete(k);
    for (const [id, st] of this.incidents) if (st.incident.lastSeen < horizon) this.incidents.delete(id);
  }
}

/**
 * An incident is named after its most severe alert (the first of them) and where it happens:
 * "Mass Creation of Ransom Notes on RVH-FS01.rvh.local and 2 more hosts".
 */
function incidentTitle(inc: Incident): string {
  let best = inc.timeline[0];
  for (const t of inc.timeline) if (levelRank(t.level) > levelRank(best.level)) best = t;
  const what = best?.ruleTitle ?? inc.title;
  const where = inc.hosts.length
    ? ` on ${inc.hosts[0]}${inc.hosts.length > 1 ? ` and ${inc.hosts.length - 1} more host${inc.hosts.length > 2 ? 's' : ''}` : ''}`
    : inc.users.length
      ? ` by ${inc.users[0]}`
      : '';
  return `${what}${where}`;
}
