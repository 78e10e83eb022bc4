import type { WardEvent } from '../../normalize/index.js';
import type { Detection, Detector, Level, RuleMeta } from '../types.js';
import type { AnalyticsConfig } from './config.js';
import { Reference } from './context.js';
import { accessOf, applyAdt, orderOf } from './extract.js';
import { explain, hourOf, offHours, signals, whoIs, type Signal } from './explain.js';
import { inHours, inNetwork, trackBulk, type BulkVerdict } from './bulk.js';
import { splitName } from './people.js';
import { AnalyticsState, type Access, type ScoreRecord, type UserState } from './state.js';
import { bulkAlert, exportAlert, snoopAlert } from './alerts.js';

export interface AccessAnalyticsOptions {
  /** Called with the score of every judged access (evaluation, dashboards); called again for the
   * same access when later evidence (a bulk burst) raises its score. */
  onScore?: (rec: ScoreRecord) => void;
}

const SNOOP: Signal['name'][] = ['self', 'family', 'vip', 'coworker', 'neighbour', 'name-search', 'break-glass-no-reason'];
const MIN = 60_000;

/**
 * Patient-record access analytics (issue 6) as a streaming Detector: learns care relationships
 * from HL7 ADT, orders and care-team rosters, judges each record access (FHIR AuditEvent, EHR
 * access log) by whether it is explained, which snooping signals it carries, whether the user is
 * opening far more patients than usual, and at which hour.
 */
export class AccessAnalytics implements Detector {
  readonly name = 'analytics';
  readonly ref: Reference;
  private st: AnalyticsState;
  private lastPrune = 0;

  constructor(readonly cfg: AnalyticsConfig, private readonly opts: AccessAnalyticsOptions = {}) {
    this.ref = new Reference(cfg);
    this.st = this.fresh();
  }

  private fresh(): AnalyticsState {
    const st = new AnalyticsState();
    this.ref.loadCareTeams(st);
    return st;
  }

  process(ev: WardEvent): Detection[] {
    const st = this.st;
    if (applyAdt(ev, st, (x) => this.ref.dept(x))) return this.advance(ev.timestamp);
    const a = accessOf(ev);
    const order = orderOf(ev, a);
    if (order) {
      const user = order.user ?? this.ref.byProvider.get(order.provider!) ?? order.provider!;
      const k = `${user}|${order.mrn}`;
      (st.orders.get(k) ?? st.orders.set(k, []).get(k)!).push(order.t);
    }
    if (!a || this.ref.allowUsers.has(a.user.toLowerCase())) return this.advance(ev.timestamp);
    this.learn(a);
    st.pending.push(a);
    return this.advance(a.t);
  }

  flush(now?: number): Detection[] {
    if (this.cfg.mode === 'stream' && now !== undefined) return this.advance(now);
    return this.drain(Infinity);
  }

  /** Serialisable state (JSON). Reference files are not included: they are reloaded from the config. */
  snapshot(): string {
    return JSON.stringify(this.st);
  }

  restore(snapshot: string): void {
    this.st = AnalyticsState.fromJSON(JSON.parse(snapshot));
    // Care teams come from the reference file, which may have changed while Ward was down.
    const kept = [...this.st.visits.values()].filter((v) => !v.id.startsWith('care:'));
    this.st.visits.clear();
    this.st.byPatient.clear();
    for (const v of kept) this.st.addVisit(v);
    this.ref.loadCareTeams(this.st);
  }

  /** What a log row tells about its user and patient, kept even before the access is judged. */
  private learn(a: Access): void {
    const us = this.st.user(a.user);
    if (a.dept) us.dept = this.ref.dept(a.dept);
    if (a.role) us.role = this.ref.role(a.role);
    if (!us.person && a.userName && a.layout === 'ehr-access') us.person = splitName(a.userName);
    // Who opened which record, recorded on arrival: batch mode sees the colleagues before and
    // after an access, stream mode those up to delayMinutes after it.
    const dept = this.ref.staff(a.user)?.dept ?? us.dept;
    if (a.mrn && dept) {
      const list = this.st.recent.get(a.mrn) ?? this.st.recent.set(a.mrn, []).get(a.mrn)!;
      list.push([a.t, a.user, dept]);
      if (list.length > 400) list.splice(0, list.length - 400);
    }
    if (a.mrn && a.patientName && !this.st.patients.get(a.mrn)?.family) this.st.patients.set(a.mrn, { ...this.st.patients.get(a.mrn), ...splitName(a.patientName) });
  }

  private advance(t: number | undefined): Detection[] {
    if (t !== undefined && (this.st.firstSeen === 0 || t < this.st.firstSeen)) this.st.firstSeen = t;
    if (this.cfg.mode !== 'stream' || t === undefined) return [];
    if (t > this.st.watermark) this.st.watermark = t;
    return this.drain(this.st.watermark - this.cfg.delayMinutes * MIN);
  }

  /** Judges the pending accesses up to `until`, oldest first. */
  private drain(until: number): Detection[] {
    const p = this.st.pending;
    if (!p.length) return [];
    // Accesses arrive nearly in time order; sort only when one arrived out of order.
    for (let i = 1; i < p.length; i++) {
      if (p[i].t < p[i - 1].t) {
        p.sort((x, y) => x.t - y.t);
        break;
      }
    }
    if (p[0].t > until) return [];
    let n = 0;
    while (n < p.length && p[n].t <= until) n++;
    if (!n) return [];
    const due = p.splice(0, n);
    const out: Detection[] = [];
    for (const a of due) out.push(...this.judge(a));
    const last = due[due.length - 1].t;
    if (last - this.lastPrune > 86400_000) {
      this.st.prune(last, this.cfg.retention.visitDays);
      this.lastPrune = last;
    }
    return out;
  }

  private judge(a: Access): Detection[] {
    const st = this.st;
    const us = st.user(a.user);
    const { role, dept } = whoIs(this.ref, us, a.user);
    if (role && this.ref.allowRoles.has(role)) return [];
    const hour = hourOf(this.ref, a.t);
    const out: Detection[] = [];
    if (a.export) {
      const d = this.checkExport(a, us, hour);
      if (d) out.push(d);
    } else if (a.mrn) {
      out.push(...this.judgeRead(a, us, role, dept, hour));
    }
    if (a.search) us.search = { t: a.t, term: a.searchTerm, mrn: a.mrn };
    us.hours[hour]++;
    us.n++;
    return out;
  }

  private judgeRead(a: Access, us: UserState, role: string | undefined, dept: string | undefined, hour: number): Detection[] {
    const st = this.st;
    const w = this.cfg.score;
    const mrn = a.mrn!;
    const rs = role ? st.role(role) : undefined;
    const ex = explain(this.ref, st, a, role, dept);
    const sig = signals(this.ref, st, us, a, offHours(this.ref, us, hour));
    const first = !us.seen.has(mrn);
    // Stream warm-up: patients already in hospital when Ward started have no ADT yet. Until
    // warmupHours of feed have been seen, for a patient with no known visit the signals that are
    // common among a long-stay patient's carers (VIP, coworker, neighbour) count only weakly;
    // self, family, name search and break-glass still count in full.
    const warm = !ex.best && this.cfg.mode === 'stream' && a.t - st.firstSeen < this.cfg.warmupHours * 3600_000 && !st.byPatient.has(mrn);
    if (warm) {
      for (const x of sig) if (x.name === 'vip' || x.name === 'coworker' || x.name === 'neighbour' || x.name === 'off-hours') x.weight *= w.explainedWeak;
      ex.missing.push(`no ADT seen for the patient yet (first ${this.cfg.warmupHours} h of the feed: VIP, coworker and neighbour signals count weakly)`);
    }
    let score: number;
    const sum = sig.reduce((s, x) => s + x.weight, 0);
    if (ex.best) score = sum * (ex.best.strength === 'strong' ? w.explainedStrong : w.explainedWeak);
    else {
      // Rarity: an unexplained access weighs more for a role whose accesses are usually explained.
      const rate = rs ? (rs.unexplained + 1) / (rs.n + 2) : 0.5;
      if (first) sig.push({ name: 'first-access', weight: w.firstAccess, detail: 'first time this user opened this record' });
      score = w.unexplained + w.rarity * (1 - rate) + sum + (first ? w.firstAccess : 0);
    }
    score = Math.min(1, score);
    const top = sig.filter((s) => SNOOP.includes(s.name)).sort((x, y) => y.weight - x.weight)[0];
    const rec: ScoreRecord = { access: a, score, category: top?.name, explained: ex.best?.kind, signals: sig.map((s) => s.name) };
    if (rs) {
      rs.n++;
      if (!ex.best) rs.unexplained++;
    }
    us.seen.add(mrn);
    if (us.seen.size > this.cfg.retention.patientsPerUser) us.seen.delete(us.seen.values().next().value!);

    const out: Detection[] = [];
    const v = trackBulk(this.cfg.bulk, us, rs, a.t, mrn, rec);
    if (v) out.push(...this.burst(a, us, role, v));
    this.opts.onScore?.(rec);
    if (rec.score >= w.alertScore && top) {
      const key = `${a.user}|${mrn}|${Math.floor(a.t / 86400_000)}`;
      if (!st.alerted.has(key)) {
        st.alerted.set(key, a.t);
        out.push(snoopAlert(a, rec, top, sig, ex, role, dept));
      }
    }
    return out;
  }

  /** A bulk burst: one alert per cooldown, and every access in the window is raised to bulk. */
  private burst(a: Access, us: UserState, role: string | undefined, v: BulkVerdict): Detection[] {
    for (const w of us.win) {
      if (w.rec && w.rec.score < 0.95) {
        w.rec.score = 0.95;
        w.rec.category = 'bulk';
        if (w.rec.access !== a) this.opts.onScore?.(w.rec);
      }
    }
    // One alert per burst: the quiet period restarts with every access still above the threshold.
    const quiet = us.bulkUntil !== undefined && a.t < us.bulkUntil;
    us.bulkUntil = a.t + this.cfg.bulk.cooldownMinutes * MIN;
    return quiet ? [] : [bulkAlert(a, v, role, this.cfg.bulk.windowMinutes)];
  }

  private checkExport(a: Access, us: UserState, hour: number): Detection | undefined {
    const list = (this.cfg.bulk.exportAllowList ?? []).filter((e) => e.user.toLowerCase() === a.user.toLowerCase());
    const local = new Date(a.t + this.cfg.utcOffsetMinutes * MIN);
    const mod = local.getUTCHours() * 60 + local.getUTCMinutes();
    const problems: string[] = [];
    let ok = false;
    if (!list.length) problems.push(`${a.user} is not on the bulk-export allow-list`);
    for (const e of list) {
      const netOk = !e.networks?.length || e.networks.some((n) => inNetwork(a.address, n));
      const hoursOk = !e.hours || inHours(e.hours, mod);
      if (netOk && hoursOk) ok = true;
      else {
        if (!netOk) problems.push(`from ${a.address ?? 'an unknown address'}, outside the allowed networks ${e.networks!.join(', ')}`);
        if (!hoursOk) problems.push(`at ${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}, outside the allowed hours ${e.hours}`);
      }
    }
    const usual = Object.entries(us.exportAddrs).sort((x, y) => y[1] - x[1]).map(([x]) => x);
    const off = offHours(this.ref, us, hour);
    if (a.address) us.exportAddrs[a.address] = (us.exportAddrs[a.address] ?? 0) + 1;
    if (ok) return undefined;
    const level: Level = list.length ? 'critical' : 'high';
    return exportAlert(a, problems, usual, off, level);
  }
}

export type { RuleMeta };
