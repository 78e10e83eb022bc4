import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { join } from 'node:path';
import { WardError, packageRoot } from '../../util/index.js';
import { LEVELS } from '../../detect/index.js';

export interface HuntOptions {
  rules: string[];
  format: string;
  minLevel: string;
  output?: string;
  threads: number;
  pipeline?: string[];
  placeholders: Record<string, string[]>;
  color: boolean;
  progress: boolean;
  maxLineBytes: number;
  inputFormat?: string;
  quiet: boolean;
  intel: string[];
  /** patient-record access analytics; a string is a site config merged over the defaults */
  analytics?: string | boolean;
  /** write intel hits as a STIX 2.1 bundle of sightings to this file */
  sightings?: string;
}

/** Ward's own rule pack, shipped in the package (rules/). */
export function builtinRules(): string {
  return join(packageRoot(), 'rules');
}

export function parsePlaceholders(file: string | undefined): Record<string, string[]> {
  if (!file) return {};
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new WardError('usage.placeholders', `cannot read placeholders file: ${(err as Error).message}`, { file });
  }
  if (!doc || typeof doc !== 'object') throw new WardError('usage.placeholders', 'placeholders file must be a YAML map of name → list of values', { file });
  return Object.fromEntries(Object.entries(doc as Record<string, unknown>).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]));
}

export function checkLevel(l: string): string {
  if (!(LEVELS as readonly string[]).includes(l)) throw new WardError('usage.level', `--min-level must be one of ${LEVELS.join(', ')}`);
  return l;
}
