import type { AnalyticsConfig } from './config.js';
import { HIST_ROLE, HIST_USER, type RoleState, type ScoreRecord, type UserState } from './state.js';

const HOUR = 3600_000;

export function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median absolute deviation (unscaled). */
export function mad(xs: number[], med = median(xs)): number {
  return median(xs.map((x) => Math.abs(x - med)));
}

/** Nearest-rank percentile, p in [0, 100]. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export interface BulkVerdict {
  count: number;
  threshold: number;
  userP95?: number;
  userThreshold?: number;
  roleMedian?: number;
  roleMad?: number;
  roleThreshold?: number;
  windowStart: number;
}

/**
 * Distinct patients per user in a sliding window (default 60 min) against the user's own
 * baseline (userFactor × 95th percentile of past active hours) and the role's (median +
 * k·1.4826·MAD, a robust z-score: Rousseeuw & Croux 1993), and a floor. Checked on every access,
 * so a burst is found as soon as it crosses, not at the end of the hour.
 */
export function trackBulk(cfg: AnalyticsConfig['bulk'], us: UserState, rs: RoleState | undefined, t: number, mrn: string, rec: ScoreRecord | undefined): BulkVerdict | undefined {
  const win = cfg.windowMinutes * 60_000;
  const newest = us.win.length ? us.win[us.win.length - 1].t : -Infinity;
  // A late event (a source delivered behind the others) older than the live window cannot be
  // part of a burst now; counting it would corrupt the window and the hourly baselines.
  if (t <= newest - win) return undefined;
  // Clock-hour buckets feed the baselines; the current hour is not part of its own baseline.
  const hk = Math.floor(t / HOUR);
  if (hk > us.hourKey) {
    if (us.hourKey >= 0 && us.hourSet.size) {
      push(us.hist, us.hourSet.size, HIST_USER);
      if (rs) push(rs.hist, us.hourSet.size, HIST_ROLE);
    }
    us.hourKey = hk;
    us.hourSet.clear();
  }
  if (hk === us.hourKey) us.hourSet.add(mrn);
  // Kept in time order: slightly late events are inserted at their place.
  let i = us.win.length;
  while (i > 0 && us.win[i - 1].t > t) i--;
  us.win.splice(i, 0, { t, mrn, rec });
  us.distinct.set(mrn, (us.distinct.get(mrn) ?? 0) + 1);
  const now = Math.max(t, newest);
  while (us.win.length && us.win[0].t <= now - win) {
    const old = us.win.shift()!;
    const n = (us.distinct.get(old.mrn) ?? 1) - 1;
    if (n <= 0) us.distinct.delete(old.mrn);
    else us.distinct.set(old.mrn, n);
  }
  const count = us.distinct.size;
  if (count <= cfg.minPatients) return undefined;
  const v: BulkVerdict = { count, threshold: cfg.minPatients, windowStart: us.win[0]?.t ?? t };
  if (us.hist.length >= cfg.userMinHours) {
    v.userP95 = percentile(us.hist, 95);
    v.userThreshold = v.userP95 * cfg.userFactor;
  }
  if (rs && rs.hist.length >= cfg.roleMinHours) {
    v.roleMedian = median(rs.hist);
    v.roleMad = mad(rs.hist, v.roleMedian);
    v.roleThreshold = v.roleMedian + cfg.roleMadK * 1.4826 * Math.max(v.roleMad, 1);
  }
  v.threshold = Math.max(cfg.minPatients, v.userThreshold ?? 0, v.roleThreshold ?? 0);
  return count > v.threshold ? v : undefined;
}

function push(xs: number[], x: number, cap: number): void {
  xs.push(x);
  if (xs.length > cap) xs.splice(0, xs.length - cap);
}

/** `10.10.3.0/24` contains `10.10.3.15` (IPv4; an IPv6 or host entry must match exactly). */
export function inNetwork(addr: string | undefined, net: string): boolean {
  if (!addr) return false;
  const [base, bits] = net.split('/');
  const ip = (s: string): number | undefined => {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s.trim());
    return m ? ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0 : undefined;
  };
  const a = ip(addr);
  const b = ip(base);
  if (a === undefined || b === undefined) return addr.trim().toLowerCase() === net.trim().toLowerCase();
  const n = bits === undefined ? 32 : Number(bits);
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (a & mask) === (b & mask);
}

/** `22:00-02:00` contains minute-of-day m (wraps around midnight). */
export function inHours(range: string, minuteOfDay: number): boolean {
  const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(range);
  if (!m) return false;
  const a = +m[1] * 60 + +m[2];
  const b = +m[3] * 60 + +m[4];
  return a <= b ? minuteOfDay >= a && minuteOfDay < b : minuteOfDay >= a || minuteOfDay < b;
}
