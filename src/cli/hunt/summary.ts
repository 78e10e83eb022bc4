import pc from 'picocolors';
import { LEVELS } from '../../detect/index.js';
import type { HitRecord } from './record.js';

/** Aggregates hits for the terminal summary without keeping them all. */
export class Summary {
  total = 0;
  byLevel = new Map<string, number>();
  byRule = new Map<string, { title: string; level: string; n: number }>();
  byHost = new Map<string, number>();
  byTactic = new Map<string, number>();
  first: string | null = null;
  last: string | null = null;
  /** the most severe hits, for a short timeline */
  top: HitRecord[] = [];

  add(h: HitRecord): void {
    this.total++;
    this.byLevel.set(h.rule.level, (this.byLevel.get(h.rule.level) ?? 0) + 1);
    const r = this.byRule.get(h.rule.id) ?? { title: h.rule.title, level: h.rule.level, n: 0 };
    r.n++;
    this.byRule.set(h.rule.id, r);
    if (h.host) this.byHost.set(h.host, (this.byHost.get(h.host) ?? 0) + 1);
    for (const a of h.attack) if (!/^T\d/.test(a) && !/^[gs]\d{4}$/i.test(a)) this.byTactic.set(a, (this.byTactic.get(a) ?? 0) + 1);
    if (h.timestamp) {
      if (!this.first || h.timestamp < this.first) this.first = h.timestamp;
      if (!this.last || h.timestamp > this.last) this.last = h.timestamp;
    }
    const rank = LEVELS.indexOf(h.rule.level as (typeof LEVELS)[number]);
    if (rank >= 3 || this.top.length < 20) {
      this.top.push(h);
      if (this.top.length > 200) this.trim();
    }
  }

  private trim(): void {
    const rank = (h: HitRecord) => LEVELS.indexOf(h.rule.level as (typeof LEVELS)[number]);
    this.top.sort((a, b) => rank(b) - rank(a) || String(a.timestamp).localeCompare(String(b.timestamp)));
    this.top.length = 100;
  }
}

export const levelColor: Record<string, (s: string) => string> = {
  critical: (s) => pc.bold(pc.magenta(s)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
  informational: pc.dim,
};

const bar = (n: number, max: number, width = 24) => '█'.repeat(Math.max(1, Math.round((n / max) * width)));

export function renderSummary(s: Summary, stats: { events: number; files: number; seconds: number; problems: number; rules: number; indicators?: number; loadSeconds?: number }): string {
  const out: string[] = [];
  const rate = stats.seconds > 0 ? Math.round(stats.events / stats.seconds) : stats.events;
  out.push(pc.bold(`Ward hunt: ${stats.events.toLocaleString('en')} events from ${stats.files} file(s), ${stats.rules} rules${stats.indicators ? `, ${stats.indicators.toLocaleString('en')} indicators` : ''}, ${stats.seconds.toFixed(1)} s (${rate.toLocaleString('en')} events/s)${stats.loadSeconds !== undefined ? `; rules loaded in ${stats.loadSeconds.toFixed(1)} s` : ''}`));
  if (s.total === 0) {
    out.push(pc.green('No detections.'));
  } else {
    out.push(`${pc.bold(String(s.total))} detections${s.first ? ` between ${s.first} and ${s.last}` : ''}`);
    out.push('', pc.bold('By level'));
    const maxL = Math.max(...s.byLevel.values());
    for (const l of [...LEVELS].reverse()) {
      const n = s.byLevel.get(l);
      if (n) out.push(`  ${levelColor[l](l.padEnd(13))} ${String(n).padStart(7)}  ${levelColor[l](bar(n, maxL))}`);
    }
    const rank = (l: string) => LEVELS.indexOf(l as (typeof LEVELS)[number]);
    const rules = [...s.byRule.values()].sort((a, b) => rank(b.level) - rank(a.level) || b.n - a.n).slice(0, 10);
    out.push('', pc.bold('Top rules'));
    for (const r of rules) out.push(`  ${levelColor[r.level](r.level.padEnd(13))} ${String(r.n).padStart(7)}  ${r.title}`);
    if (s.byHost.size) {
      out.push('', pc.bold('Top hosts'));
      for (const [h, n] of [...s.byHost].sort((a, b) => b[1] - a[1]).slice(0, 8)) out.push(`  ${String(n).padStart(7)}  ${h}`);
    }
    if (s.byTactic.size) {
      out.push('', pc.bold('ATT&CK tactics'));
      for (const [t, n] of [...s.byTactic].sort((a, b) => b[1] - a[1]).slice(0, 10)) out.push(`  ${String(n).padStart(7)}  ${t}`);
    }
    const severe = s.top.filter((h) => rank(h.rule.level) >= 3).sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)));
    if (severe.length) {
      out.push('', pc.bold('High and critical, in time order'));
      for (const h of severe.slice(0, 25)) {
        const where = h.source.line !== undefined ? `:${h.source.line}` : h.source.record !== undefined ? `#${h.source.record}` : '';
        out.push(`  ${pc.dim(h.timestamp ?? '-')}  ${levelColor[h.rule.level](h.rule.level.padEnd(8))} ${(h.host ?? '-').padEnd(18)} ${h.rule.title} ${pc.dim(`${h.source.file ?? ''}${where}`)}`);
      }
      if (severe.length > 25) out.push(pc.dim(`  … ${severe.length - 25} more`));
    }
    out.push('', pc.dim('Every hit: ward hunt … --format table (or jsonl/csv/json --output FILE)'));
  }
  if (stats.problems) out.push(pc.yellow(`${stats.problems} input problem(s) reported on stderr; everything else was processed.`));
  return out.join('\n');
}
