/**
 * Installs the rule files of a verified package into a rules directory, all or nothing: files are
 * written into a sibling staging folder, which then replaces the destination in two renames, so
 * a failure half-way never leaves a mix of old and new rules (or an empty folder) behind.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { WardError } from '../../util/index.js';
import { ZipArchive, type ZipLimits } from './zip.js';

export const MANIFEST_FILE = '.ward-rules.json';

export interface InstallResult {
  dest: string;
  /** rule files (.yml/.yaml) written */
  ruleFiles: number;
  /** YAML documents that look like Sigma rules (title + detection/correlation/filter) */
  rules: number;
  /** other files kept for attribution (LICENSE, README …) */
  otherFiles: string[];
  /** entries skipped (directories, symlinks, files that are neither rules nor licence texts) */
  skipped: number;
  /** rule files by top-level folder of the package (rules, rules-emerging-threats …) */
  byFolder: Record<string, number>;
}

const RULE_FILE = /\.ya?ml$/i;
const KEEP_FILE = /^(LICEN[CS]E|README|NOTICE|COPYING)[^/]*$/i;

/** Counts YAML documents that carry a title and a detection, correlation or filter section. */
function countRules(text: string): number {
  let n = 0;
  for (const doc of text.split(/^---\s*$/m)) {
    if (/^title\s*:/m.test(doc) && /^(detection|correlation|filter)\s*:/m.test(doc)) n++;
  }
  return n;
}

export function installPackage(zip: Buffer, dest: string, manifest: Record<string, unknown>, limits?: ZipLimits): InstallResult {
  // Reading the whole directory first validates every entry name before anything touches disk.
  // Rule packages are a few MiB expanded (SigmaHQ's largest, about 6 MiB in 2026): tight defaults
  // keep a hostile archive (overlapping entries, lying sizes) from exhausting memory.
  const archive = new ZipArchive(zip, { maxEntryBytes: 4 << 20, maxTotalBytes: 256 << 20, ...limits });
  const target = resolve(dest);
  const staging = `${target}.partial-${process.pid}`;
  const result: InstallResult = { dest: target, ruleFiles: 0, rules: 0, otherFiles: [], skipped: 0, byFolder: {} };
  const files: { path: string; data: Buffer }[] = [];
  for (const e of archive.entries) {
    if (e.isDirectory || e.isSymlink) {
      result.skipped++;
      continue;
    }
    const isRule = RULE_FILE.test(e.name);
    const base = e.name.slice(e.name.lastIndexOf('/') + 1);
    if (!isRule && !KEEP_FILE.test(base)) {
      result.skipped++;
      continue;
    }
    const data = archive.read(e);
    const out = resolve(staging, e.name);
    // Belt and braces on top of safeEntryName: the resolved path must stay inside the staging folder.
    if (!out.startsWith(staging + sep)) throw new WardError('zip.unsafe-path', `entry ${JSON.stringify(e.name)} resolves outside the destination`);
    files.push({ path: out, data });
    if (isRule) {
      result.ruleFiles++;
      result.rules += countRules(data.toString('utf8'));
      const top = e.name.includes('/') ? e.name.slice(0, e.name.indexOf('/')) : '.';
      result.byFolder[top] = (result.byFolder[top] ?? 0) + 1;
    } else result.otherFiles.push(e.name);
  }
  if (result.ruleFiles === 0) throw new WardError('fetch.verify', 'the package contains no Sigma rule files (.yml)');
  if (result.rules === 0) throw new WardError('fetch.verify', 'the package .yml files contain no Sigma rules (no title + detection)');

  rmSync(staging, { recursive: true, force: true });
  const old = `${target}.previous-${process.pid}`;
  try {
    const made = new Set<string>();
    for (const f of files) {
      const dir = dirname(f.path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(f.path, f.data);
    }
    writeFileSync(join(staging, MANIFEST_FILE), JSON.stringify({ ...manifest, ruleFiles: result.ruleFiles, rules: result.rules }, null, 2) + '\n');
    mkdirSync(dirname(target), { recursive: true });
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw new WardError('fetch.install', `cannot write rules into ${target}: ${(err as Error).message}`);
  }
  rmSync(old, { recursive: true, force: true });
  return result;
}
