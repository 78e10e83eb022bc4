/**
 * IOC matching against a brute-force reference on real attack logs (../shared EVTX-ATTACK-SAMPLES).
 * Indicators are built from values found in the events (Sysmon SHA-256/MD5 hashes, destination
 * IPs, DNS query names); the expected hits per indicator are computed by a plain scan of the raw
 * JSON text of every event for the field names data/mappings/stix.yaml lists, independent of
 * normalize/ and of the indexed sets (domains: the name or any subdomain of it). Ward's intel detector must report exactly those events. Skips when ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normalize } from '../../src/normalize/index.js';
import { createIntelDetector } from '../../src/detect/index.js';
import type { StixObject } from '../../src/stix/index.js';

const file = resolve(import.meta.dirname, '../../../shared/datasets/evtx-attack-samples/evtx-attack-samples.jsonl');
const TS = '2024-01-01T00:00:00.000Z';

export default async function intelConformance(): Promise<boolean> {
  if (!existsSync(file)) {
    console.log('skipped: ../shared/datasets/evtx-attack-samples is absent');
    return true;
  }
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  // Reference values straight from the JSON text (no field mapping involved).
  const refs = new Map<string, { pattern: string; needle: RegExp }>();
  const add = (key: string, pattern: string, needle: RegExp) => {
    if (!refs.has(key) && refs.size < 400) refs.set(key, { pattern, needle });
  };
  for (const l of lines) {
    for (const m of l.matchAll(/SHA256=([0-9A-F]{64})/g)) add(`sha256:${m[1]}`, `[file:hashes.'SHA-256' = '${m[1].toLowerCase()}']`, new RegExp(`SHA256=${m[1]}`, 'i'));
    for (const m of l.matchAll(/"DestinationIp":\s*"(\d+\.\d+\.\d+\.\d+)"/g)) add(`ip:${m[1]}`, `[ipv4-addr:value = '${m[1]}']`, new RegExp(`"(DestinationIp|SourceIp|IpAddress|ClientAddress|SourceAddress|DestAddress)":\\s*"(::ffff:)?${m[1].replace(/\./g, '\\.')}"`));
    for (const m of l.matchAll(/"QueryName":\s*"([A-Za-z0-9.-]+\.[A-Za-z]{2,})"/g)) add(`dns:${m[1].toLowerCase()}`, `[domain-name:value = '${m[1].toLowerCase()}']`, new RegExp(`"QueryName":\\s*"([A-Za-z0-9-]+\\.)*${m[1].replace(/\./g, '\\.')}\\.?"`, 'i'));
  }
  const ids: string[] = [];
  const indicators: StixObject[] = [...refs.values()].map((r, i) => {
    const id = `indicator--${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    ids.push(id);
    return { type: 'indicator', spec_version: '2.1', id, created: TS, modified: TS, name: r.pattern, pattern: r.pattern, pattern_type: 'stix', valid_from: TS };
  });
  const det = createIntelDetector(indicators);
  const expected = new Map<string, Set<number>>();
  const got = new Map<string, Set<number>>();
  const refList = [...refs.values()];
  lines.forEach((l, n) => {
    refList.forEach((r, i) => {
      if (r.needle.test(l)) {
        if (!expected.has(ids[i])) expected.set(ids[i], new Set());
        expected.get(ids[i])!.add(n + 1);
      }
    });
    const e = normalize(JSON.parse(l) as Record<string, unknown>, { file, line: n + 1 });
    for (const d of det.process(e)) {
      if (!got.has(d.rule.id)) got.set(d.rule.id, new Set());
      got.get(d.rule.id)!.add(n + 1);
    }
  });
  let missing = 0;
  let extra = 0;
  for (const id of ids) {
    const exp = expected.get(id) ?? new Set();
    const have = got.get(id) ?? new Set();
    const miss = [...exp].filter((x) => !have.has(x));
    const more = [...have].filter((x) => !exp.has(x));
    if (miss.length || more.length) console.log(`  ${refList[ids.indexOf(id)].pattern}: missing lines ${miss.slice(0, 5).join(',')} extra lines ${more.slice(0, 5).join(',')}`);
    missing += miss.length;
    extra += more.length;
  }
  const total = [...expected.values()].reduce((n, s) => n + s.size, 0);
  console.log(`${indicators.length} indicators from the events, ${total} expected (indicator, event) hits: ${missing} missing, ${extra} unexpected`);
  return missing === 0 && extra === 0;
}
