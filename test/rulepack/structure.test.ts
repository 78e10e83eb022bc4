/**
 * Structural checks of Ward's own rule pack (rules/windows): every document parses, carries the
 * metadata the project promises (author, level, ATT&CK technique and tactic tags, false
 * positives), ids are fresh UUIDv4 and unique, names are unique, conditions only name detection
 * items that exist, and correlations only reference rules that exist. When ../shared holds the
 * SigmaHQ rules, also checks that no id or title was taken from them.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';

const ROOT = join(import.meta.dirname, '..', '..');
const PACK = join(ROOT, 'rules', 'windows');
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LEVELS = new Set(['informational', 'low', 'medium', 'high', 'critical']);
const TACTICS = new Set([
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence',
  'privilege-escalation', 'defense-evasion', 'credential-access', 'discovery', 'lateral-movement',
  'collection', 'command-and-control', 'exfiltration', 'impact',
]);
const CATEGORIES = new Set(['process_creation', 'process_access', 'pipe_created', 'registry_set', 'file_event', 'ps_script']);
const SERVICES = new Set(['security', 'system', 'windefend']);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

type Doc = Record<string, any>;
interface Loaded { file: string; docs: Doc[]; text: string }

const files = walk(PACK);
const loaded: Loaded[] = files.map((file) => {
  const text = readFileSync(file, 'utf8');
  return { file: relative(ROOT, file), text, docs: yaml.loadAll(text) as Doc[] };
});
const allDocs = loaded.flatMap((l) => l.docs.map((d) => ({ file: l.file, doc: d })));

/** Identifiers a Sigma condition names (Sigma v2.1 §condition): plain names and `x of pattern`. */
function conditionRefs(cond: string): { names: string[]; patterns: string[] } {
  const tokens = cond.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean);
  const names: string[] = [];
  const patterns: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const low = t.toLowerCase();
    if (['and', 'or', 'not', '1', 'any', 'all'].includes(low)) continue;
    if (low === 'of') {
      const target = tokens[++i];
      if (target !== 'them') patterns.push(target);
      continue;
    }
    names.push(t);
  }
  return { names, patterns };
}

function globToRegex(p: string): RegExp {
  return new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
}

describe('Ward rule pack: structure', () => {
  it('has a substantial number of rules', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(allDocs.length).toBeGreaterThanOrEqual(30);
  });

  it.each(loaded.map((l) => [l.file, l] as const))('%s has the licence header', (_f, l) => {
    expect(l.text.startsWith('# Ward rule pack: written by the Ward project team.')).toBe(true);
    expect(l.text).toContain('License: Apache-2.0');
  });

  it.each(allDocs.map((d) => [`${d.file} / ${d.doc?.title}`, d.doc] as const))('%s has required fields', (_n, doc) => {
    expect(typeof doc.title).toBe('string');
    expect(doc.title.length).toBeGreaterThan(10);
    expect(doc.id).toMatch(UUID4);
    expect(doc.author).toBe('Ward project');
    expect(LEVELS.has(doc.level)).toBe(true);
    expect(typeof doc.description).toBe('string');
    const tags: string[] = doc.tags;
    expect(tags.some((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t))).toBe(true);
    expect(tags.some((t) => t.startsWith('attack.') && TACTICS.has(t.slice(7)))).toBe(true);
    for (const t of tags) expect(t).toMatch(/^attack\.([a-z-]+|t\d{4}(\.\d{3})?|s\d{4}|g\d{4})$/);
    if (doc.correlation) {
      expect(['event_count', 'value_count', 'temporal', 'temporal_ordered']).toContain(doc.correlation.type);
      expect(Array.isArray(doc.correlation.rules)).toBe(true);
      expect(doc.correlation.timespan).toMatch(/^\d+[smhd]$/);
      expect(Array.isArray(doc.correlation['group-by'])).toBe(true);
    } else {
      expect(doc.logsource.product).toBe('windows');
      const ls = doc.logsource;
      expect(CATEGORIES.has(ls.category) || SERVICES.has(ls.service)).toBe(true);
      expect(typeof doc.detection.condition).toBe('string');
    }
  });

  it('alerting rules (not correlation stages) state their false positives', () => {
    const stageNames = new Set(allDocs.flatMap((d) => (d.doc.correlation ? d.doc.correlation.rules : [])));
    for (const { file, doc } of allDocs) {
      if (doc.name && stageNames.has(doc.name) && doc.level === 'low') continue;
      expect(Array.isArray(doc.falsepositives), `${file}: ${doc.title}`).toBe(true);
      expect(doc.falsepositives.length).toBeGreaterThan(0);
    }
  });

  it('ids and names are unique', () => {
    const ids = allDocs.map((d) => d.doc.id);
    expect(new Set(ids).size).toBe(ids.length);
    const names = allDocs.map((d) => d.doc.name).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
  });

  it('conditions name only detection items that exist', () => {
    for (const { file, doc } of allDocs) {
      if (!doc.detection) continue;
      const items = Object.keys(doc.detection).filter((k) => k !== 'condition');
      const { names, patterns } = conditionRefs(doc.detection.condition);
      for (const n of names) expect(items, `${file}: ${n}`).toContain(n);
      for (const p of patterns) expect(items.some((i) => globToRegex(p).test(i)), `${file}: ${p}`).toBe(true);
      // every item is used somewhere, or a typo would silently drop a selection
      for (const i of items) {
        const used = names.includes(i) || patterns.some((p) => globToRegex(p).test(i));
        expect(used, `${file}: ${i} unused`).toBe(true);
      }
    }
  });

  it('correlations reference rules defined in the pack', () => {
    const known = new Set(allDocs.flatMap((d) => [d.doc.id, d.doc.name].filter(Boolean)));
    for (const { file, doc } of allDocs) {
      if (!doc.correlation) continue;
      for (const r of doc.correlation.rules) expect(known.has(r), `${file}: ${r}`).toBe(true);
    }
  });

  it('is original: no id or title shared with the SigmaHQ rule set', (ctx) => {
    const sigmaRoot = join(ROOT, '..', 'shared', 'sigma');
    if (!existsSync(sigmaRoot)) {
      ctx.skip('../shared/sigma absent: originality check skipped');
      return;
    }
    const theirIds = new Set<string>();
    const theirTitles = new Set<string>();
    for (const sub of ['rules', 'rules-emerging-threats', 'rules-threat-hunting']) {
      const dir = join(sigmaRoot, sub);
      if (!existsSync(dir)) continue;
      for (const f of walk(dir)) {
        const text = readFileSync(f, 'utf8');
        for (const m of text.matchAll(/^id:\s*([0-9a-f-]{36})/gm)) theirIds.add(m[1]);
        for (const m of text.matchAll(/^title:\s*(.+)$/gm)) theirTitles.add(m[1].trim().toLowerCase());
      }
    }
    expect(theirIds.size).toBeGreaterThan(1000);
    for (const { doc } of allDocs) {
      expect(theirIds.has(doc.id), doc.title).toBe(false);
      expect(theirTitles.has(String(doc.title).toLowerCase()), doc.title).toBe(false);
    }
  });
});

describe('rules/windows/README.md', () => {
  it('lists every rule of the pack', () => {
    const readme = readFileSync(join(PACK, 'README.md'), 'utf8');
    for (const { doc } of allDocs) expect(readme, doc.title).toContain(`| ${doc.title} |`);
  });
});
