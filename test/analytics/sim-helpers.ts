import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import yaml from 'js-yaml';
import { createAccessAnalytics, runPaths, type Detection } from '../../src/detect/index.js';
import type { LabelLine } from '../../src/sim/index.js';

export async function evaluateRun(dir: string): Promise<{ alertedCategories: string[]; exportAlertMinutes: number; falseAlerts: string[] }> {
  const h = yaml.load(readFileSync(join(dir, 'hospital', 'hospital.yaml'), 'utf8')) as { vipPatients: string[]; departments: { code: string; name: string }[] };
  const det = createAccessAnalytics({
    reference: { roster: join(dir, 'hospital', 'staff.csv'), patients: join(dir, 'hospital', 'patients.csv') },
    vipPatients: h.vipPatients,
    departments: Object.fromEntries(h.departments.map((d) => [d.code, [d.name]])),
    bulk: { exportAllowList: [{ user: 'svc-population-health', networks: ['10.10.3.15/32'], hours: '02:00-02:30' }] },
  });
  const detections: Detection[] = [];
  for await (const u of runPaths(['ehr', 'fhir', 'hl7'].map((d) => join(dir, d)), [det])) detections.push(...u.detections);
  const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LabelLine);
  const byLoc = new Map(labels.map((l) => [`${l.file}:${l.line}`, l]));
  const label = (d: Detection): LabelLine | undefined => byLoc.get(`${relative(dir, resolve(d.loc?.file ?? ''))}:${d.loc?.line ?? 0}`);
  const alertedCategories = [...new Set(detections.map((d) => label(d)?.category).filter((c): c is string => !!c))];
  const start = Date.parse(labels.find((l) => l.scenario === 'bulk-export')!.time);
  const exp = detections.find((d) => d.rule.id === 'ward.analytics.bulk-export' && label(d));
  return {
    alertedCategories,
    exportAlertMinutes: exp ? (exp.timestamp! - start) / 60_000 : Infinity,
    falseAlerts: detections.filter((d) => !label(d)).map((d) => d.explanation ?? d.rule.id),
  };
}
