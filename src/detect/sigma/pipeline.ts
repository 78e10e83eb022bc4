import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { dataPath } from '../../util/index.js';
import { SigmaError } from './errors.js';
import { fold } from './fold.js';
import type { Logsource } from './rule.js';
import type { WardEvent } from '../../normalize/index.js';

/**
 * Processing pipelines as data (data/pipelines/<name>.yaml), in the spirit of pySigma's: which
 * events a rule's `logsource` stands for. Each entry's `conditions` is a list of field maps; an
 * event must satisfy one map (each field equal to the value or one of a list). `_layout` tests
 * WardEvent.layout. When several entries match a rule (category and service), all must hold.
 */
export interface PipelineEntry {
  match: Record<string, string>;
  conditions: Record<string, unknown>[];
}

export interface Pipeline {
  name: string;
  description?: string;
  logsources: PipelineEntry[];
}

export function listPipelines(): string[] {
  return readdirSync(dataPath('pipelines'))
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

export function loadPipeline(name: string): Pipeline {
  const file = join(dataPath('pipelines'), `${name}.yaml`);
  let doc: Pipeline;
  try {
    doc = yaml.load(readFileSync(file, 'utf8')) as Pipeline;
  } catch (err) {
    throw new SigmaError('pipeline', `cannot load pipeline '${name}': ${(err as Error).message}`, { file });
  }
  if (!doc || !Array.isArray(doc.logsources)) throw new SigmaError('pipeline', `pipeline '${name}' has no logsources list`, { file });
  return { ...doc, name: doc.name ?? name };
}

/** Field → accepted values (folded strings), one map per alternative. */
export type Guard = Map<string, Set<string>>[];

/** The conditions a rule's logsource adds; undefined when no pipeline entry covers it. */
export function guardFor(ls: Logsource, pipelines: Pipeline[]): Guard[] | undefined {
  const guards: Guard[] = [];
  for (const p of pipelines) {
    for (const e of p.logsources) {
      let ok = true;
      for (const k in e.match) {
        const want = e.match[k];
        const have = ls[k];
        if (typeof have !== 'string' || fold(have) !== fold(want)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      guards.push(
        e.conditions.map((c) => {
          const m = new Map<string, Set<string>>();
          for (const [f, v] of Object.entries(c)) m.set(f, new Set((Array.isArray(v) ? v : [v]).map((x) => fold(String(x)))));
          return m;
        }),
      );
    }
  }
  return guards.length ? guards : undefined;
}

export function guardHolds(guards: Guard[], ev: WardEvent): boolean {
  for (const g of guards) {
    let any = false;
    for (const alt of g) {
      let all = true;
      for (const [f, vals] of alt) {
        const v = f === '_layout' ? ev.layout : ev.get(f);
        if (v === undefined || v === null || !vals.has(fold(String(v)))) {
          all = false;
          break;
        }
      }
      if (all) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

/**
 * True when the guards can never hold for an event of `layout`: some guard's every alternative
 * requires another `_layout`. Lets a caller that knows the layout before normalizing (the raw
 * screen) drop such rules from its candidates.
 */
export function layoutExcludes(guards: Guard[] | undefined, layout: string): boolean {
  if (!guards) return false;
  const l = fold(layout);
  return guards.some((g) => g.length > 0 && g.every((alt) => alt.has('_layout') && !alt.get('_layout')!.has(l)));
}
