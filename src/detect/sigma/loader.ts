import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { WardError } from '../../util/index.js';
import { SigmaError, type RuleProblem } from './errors.js';
export type { RuleProblem } from './errors.js';
import { parseDocument, type CorrelationRule, type FilterRule, type SigmaDocument, type SigmaRule } from './rule.js';
import { compileRule, type CompiledRule } from './compile.js';
import { listPipelines, loadPipeline } from './pipeline.js';
import { fold } from './fold.js';
import { RuleSet } from './ruleset.js';

export interface LoadOptions {
  /** Rule files or folders (searched recursively for .yml/.yaml). */
  paths: string[];
  /** Pipeline names from data/pipelines (default: all of them). */
  pipelines?: string[];
  /** Values for `|expand` placeholders. */
  placeholders?: Record<string, string[]>;
  /** Rule ids (or names) to leave out. */
  disabled?: Iterable<string>;
}

export interface LoadResult {
  ruleset: RuleSet;
  problems: RuleProblem[];
  /** documents read, by kind */
  counts: { files: number; rules: number; correlations: number; filters: number };
}

export function findRuleFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new WardError('rules.path', `no such rule file or folder: ${path}`);
  }
  if (st.isFile()) return [path];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.')) walk(p);
      } else if (/\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  walk(path);
  return out;
}

function readDocuments(file: string, problems: RuleProblem[]): SigmaDocument[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ file, code: 'sigma.io', severity: 'error', message: (err as Error).message });
    return [];
  }
  let raw: unknown[];
  try {
    raw = yaml.loadAll(text, undefined, { filename: file }) as unknown[];
  } catch (err) {
    const e = err as { mark?: { line: number }; reason?: string; message: string };
    problems.push({ file, line: e.mark ? e.mark.line + 1 : undefined, code: 'sigma.yaml', severity: 'error', message: `YAML: ${e.reason ?? e.message}` });
    return [];
  }
  const docs: SigmaDocument[] = [];
  raw.forEach((o, i) => {
    if (o === null || o === undefined) return;
    try {
      docs.push(parseDocument(o, file, i));
    } catch (err) {
      const rec = o as Record<string, unknown>;
      problems.push({ file, rule: rec?.id as string, title: rec?.title as string, code: (err as SigmaError).code ?? 'sigma.rule', severity: 'error', message: (err as Error).message.replace(`${file}: `, '') });
    }
  });
  return docs;
}

function logsourceCovers(filter: FilterRule, rule: SigmaRule): boolean {
  for (const k of ['product', 'category', 'service'] as const) {
    const want = filter.logsource[k];
    if (typeof want === 'string' && (typeof rule.logsource[k] !== 'string' || fold(rule.logsource[k] as string) !== fold(want))) return false;
  }
  return true;
}

export function loadRules(opts: LoadOptions): LoadResult {
  const problems: RuleProblem[] = [];
  const files = opts.paths.flatMap(findRuleFiles);
  const docs = files.flatMap((f) => readDocuments(f, problems));
  const pipelines = (opts.pipelines ?? listPipelines()).map(loadPipeline);
  const disabled = new Set(opts.disabled ?? []);

  const rules = docs.filter((d): d is SigmaRule => d.kind === 'rule');
  const correlations = docs.filter((d): d is CorrelationRule => d.kind === 'correlation');
  const filters = docs.filter((d): d is FilterRule => d.kind === 'filter');

  const compiled: CompiledRule[] = [];
  const seen = new Map<string, string>();
  for (const r of rules) {
    if (disabled.has(r.id) || (r.name && disabled.has(r.name))) continue;
    const dup = seen.get(r.id);
    if (dup) problems.push({ file: r.file, rule: r.id, title: r.title, code: 'sigma.duplicate-id', severity: 'warning', message: `id ${r.id} also used by ${dup}` });
    seen.set(r.id, r.file);
    const fs = filters.filter((f) => (f.rules.includes(r.id) || (r.name !== undefined && f.rules.includes(r.name))) && logsourceCovers(f, r));
    try {
      const c = compileRule(r, { pipelines, placeholders: opts.placeholders ?? {} }, fs);
      if (c.missingPlaceholders.length)
        problems.push({ file: r.file, rule: r.id, title: r.title, code: 'sigma.placeholder', severity: 'warning', message: `placeholders without values (those values never match): ${c.missingPlaceholders.map((p) => `%${p}%`).join(', ')}; set them with --placeholders FILE` });
      compiled.push(c);
    } catch (err) {
      problems.push({ file: r.file, rule: r.id, title: r.title, code: (err as SigmaError).code ?? 'sigma.rule', severity: 'error', message: (err as Error).message.replace(`${r.file}: `, '') });
    }
  }
  const ruleset = new RuleSet(compiled, correlations, problems);
  return { ruleset, problems, counts: { files: files.length, rules: rules.length, correlations: correlations.length, filters: filters.length } };
}
