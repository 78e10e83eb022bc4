import type { Person, PatientInfo } from './people.js';

/** One encounter as ADT and the care-team roster describe it. Times in ms; units sorted by time. */
export interface Visit {
  id: string;
  mrn: string;
  admitted: number;
  discharged?: number;
  /** [from, unit code] */
  units: [number, string][];
  /** HL7 provider id → relationship (attending, referral, consult) */
  providers: Record<string, string>;
  /** user → relationship (attending, care-team) */
  users: Record<string, string>;
}

/** A record access waiting to be judged (batch: until flush; stream: until the delay passed). */
export interface Access {
  t: number;
  user: string;
  role?: string;
  dept?: string;
  userName?: string;
  mrn?: string;
  patientName?: string;
  action?: string;
  /** a search: the name searched for (lower case), when it is a name search */
  searchTerm?: string;
  search?: boolean;
  breakGlass?: boolean;
  breakGlassReason?: string;
  export?: boolean;
  address?: string;
  layout: string;
  file?: string;
  line?: number;
  record?: number;
  host?: string;
}

export interface UserState {
  hours: number[];
  n: number;
  seen: Set<string>;
  dept?: string;
  role?: string;
  person?: Person;
  /** sliding window of (time, patient) for bulk access */
  win: { t: number; mrn: string; rec?: ScoreRecord }[];
  distinct: Map<string, number>;
  hourKey: number;
  hourSet: Set<string>;
  /** distinct patients of the user's past active hours (most recent last) */
  hist: number[];
  search?: { t: number; term?: string; mrn?: string };
  bulkUntil?: number;
  exportAddrs: Record<string, number>;
}

export interface RoleState {
  n: number;
  unexplained: number;
  hist: number[];
}

/** The score of one access, reported to `onScore`; `score` may be raised later (bulk burst). */
export interface ScoreRecord {
  access: Access;
  score: number;
  category?: string;
  explained?: string;
  signals: string[];
}

export const HIST_USER = 24 * 30;
export const HIST_ROLE = 5000;

export function newUser(): UserState {
  return { hours: new Array<number>(24).fill(0), n: 0, seen: new Set(), win: [], distinct: new Map(), hourKey: -1, hourSet: new Set(), hist: [], exportAddrs: {} };
}

/** Everything the detector learned; plain JSON through toJSON/fromJSON (restart-safe). */
export class AnalyticsState {
  visits = new Map<string, Visit>();
  /** mrn → visit ids */
  byPatient = new Map<string, string[]>();
  /** `user|mrn` → times of orders */
  orders = new Map<string, number[]>();
  /** demographics learned from ADT PID and log rows */
  patients = new Map<string, PatientInfo>();
  users = new Map<string, UserState>();
  roles = new Map<string, RoleState>();
  pending: Access[] = [];
  /** mrn → recent accessors [time, user, department], oldest first (department-colleague explanation) */
  recent = new Map<string, [number, string, string][]>();
  watermark = 0;
  /** time of the first event seen (stream warm-up) */
  firstSeen = 0;
  /** `user|mrn|day` of the last snooping alert, so one curious afternoon is one alert */
  alerted = new Map<string, number>();

  user(u: string): UserState {
    let s = this.users.get(u);
    if (!s) this.users.set(u, (s = newUser()));
    return s;
  }

  role(r: string): RoleState {
    let s = this.roles.get(r);
    if (!s) this.roles.set(r, (s = { n: 0, unexplained: 0, hist: [] }));
    return s;
  }

  addVisit(v: Visit): void {
    this.visits.set(v.id, v);
    const list = this.byPatient.get(v.mrn);
    if (!list) this.byPatient.set(v.mrn, [v.id]);
    else if (!list.includes(v.id)) list.push(v.id);
  }

  visitsOf(mrn: string): Visit[] {
    const ids = this.byPatient.get(mrn);
    if (!ids) return [];
    const out: Visit[] = [];
    for (const id of ids) {
      const v = this.visits.get(id);
      if (v) out.push(v);
    }
    return out;
  }

  /** Forgets visits discharged long ago, and alert keys older than a day. */
  prune(now: number, visitDays: number): void {
    const limit = now - visitDays * 86400_000;
    for (const [id, v] of this.visits) {
      if (v.discharged !== undefined && v.discharged < limit) {
        this.visits.delete(id);
        const ids = this.byPatient.get(v.mrn)?.filter((x) => x !== id);
        if (ids?.length) this.byPatient.set(v.mrn, ids);
        else this.byPatient.delete(v.mrn);
      }
    }
    for (const [k, list] of this.recent) if (!list.length || list[list.length - 1][0] < now - 7 * 86400_000) this.recent.delete(k);
    for (const [k, t] of this.alerted) if (t < now - 86400_000) this.alerted.delete(k);
    for (const [k, ts] of this.orders) {
      const keep = ts.filter((t) => t >= limit);
      if (keep.length) this.orders.set(k, keep);
      else this.orders.delete(k);
    }
  }

  toJSON(): Record<string, unknown> {
    return {
      version: 1,
      visits: [...this.visits.values()],
      orders: [...this.orders],
      patients: [...this.patients],
      users: [...this.users].map(([u, s]) => [u, {
        hours: s.hours, n: s.n, seen: [...s.seen], dept: s.dept, role: s.role, person: s.person,
        win: s.win.map((w) => [w.t, w.mrn]), hourKey: s.hourKey, hourSet: [...s.hourSet], hist: s.hist,
        search: s.search, bulkUntil: s.bulkUntil, exportAddrs: s.exportAddrs,
      }]),
      roles: [...this.roles],
      pending: this.pending,
      recent: [...this.recent],
      watermark: this.watermark,
      firstSeen: this.firstSeen,
      alerted: [...this.alerted],
    };
  }

  static fromJSON(j: unknown): AnalyticsState {
    const o = (j ?? {}) as Record<string, unknown>;
    if (o.version !== 1) throw new Error(`unsupported analytics snapshot version ${String(o.version)}`);
    const s = new AnalyticsState();
    for (const v of (o.visits as Visit[]) ?? []) s.addVisit(v);
    s.orders = new Map(o.orders as [string, number[]][]);
    s.patients = new Map(o.patients as [string, PatientInfo][]);
    for (const [u, x] of (o.users as [string, Record<string, unknown>][]) ?? []) {
      const us = newUser();
      us.hours = x.hours as number[];
      us.n = x.n as number;
      us.seen = new Set(x.seen as string[]);
      us.dept = x.dept as string | undefined;
      us.role = x.role as string | undefined;
      us.person = x.person as Person | undefined;
      us.win = (x.win as [number, string][]).map(([t, mrn]) => ({ t, mrn }));
      for (const w of us.win) us.distinct.set(w.mrn, (us.distinct.get(w.mrn) ?? 0) + 1);
      us.hourKey = x.hourKey as number;
      us.hourSet = new Set(x.hourSet as string[]);
      us.hist = x.hist as number[];
      us.search = x.search as UserState['search'];
      us.bulkUntil = x.bulkUntil as number | undefined;
      us.exportAddrs = (x.exportAddrs as Record<string, number>) ?? {};
      s.users.set(u, us);
    }
    s.roles = new Map(o.roles as [string, RoleState][]);
    s.pending = (o.pending as Access[]) ?? [];
    s.recent = new Map((o.recent as [string, [number, string, string][]][]) ?? []);
    s.watermark = (o.watermark as number) ?? 0;
    s.firstSeen = (o.firstSeen as number) ?? 0;
    s.alerted = new Map(o.alerted as [string, number][]);
    return s;
  }
}
