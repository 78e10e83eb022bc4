import type { AlertStats } from './types.js';

const STEPS = [60_000, 300_000, 900_000, 3600_000, 6 * 3600_000, 86_400_000, 7 * 86_400_000];

/**
 * Dashboard figures from alert rows, shared by every store. `bucketMs` 0 picks the smallest step
 * that spans the alerts' time range in at most 60 buckets; empty buckets in between are zeros
 * so charts show quiet periods as quiet.
 */
export function summarizeAlerts(rows: { level: string; host: string | null; firstSeen: number; tactics: string[] }[], bucketMs: number): AlertStats {
  const stats: AlertStats = { total: rows.length, byLevel: {}, byTactic: {}, byHost: [], overTime: [], bucketMs };
  if (rows.length === 0) return stats;
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    if (r.firstSeen < min) min = r.firstSeen;
    if (r.firstSeen > max) max = r.firstSeen;
  }
  const bucket = bucketMs > 0 ? bucketMs : (STEPS.find((s) => (max - min) / s <= 60) ?? STEPS[STEPS.length - 1]);
  stats.bucketMs = bucket;
  const hosts = new Map<string, number>();
  const buckets = new Map<number, number>();
  for (const r of rows) {
    stats.byLevel[r.level] = (stats.byLevel[r.level] ?? 0) + 1;
    for (const t of r.tactics) stats.byTactic[t] = (stats.byTactic[t] ?? 0) + 1;
    if (r.host) hosts.set(r.host, (hosts.get(r.host) ?? 0) + 1);
    const b = Math.floor(r.firstSeen / bucket) * bucket;
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  stats.byHost = [...hosts].map(([host, count]) => ({ host, count })).sort((a, b) => b.count - a.count).slice(0, 15);
  const first = Math.floor(min / bucket) * bucket;
  const last = Math.floor(max / bucket) * bucket;
  if ((last - first) / bucket <= 500) {
    for (let t = first; t <= last; t += bucket) stats.overTime.push({ time: t, count: buckets.get(t) ?? 0 });
  } else {
    stats.overTime = [...buckets].map(([time, count]) => ({ time, count })).sort((a, b) => a.time - b.time);
  }
  return stats;
}
