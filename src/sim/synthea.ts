import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Patient } from './model.js';

/**
 * Patient demographics from Synthea FHIR R4 bundles (e.g. ../shared/datasets/synthea-r4-sample),
 * when the folder exists: name, sex, birth date and address of each Patient resource. Returns []
 * when absent or unreadable — the simulator then generates everyone.
 */
export function loadSyntheaPatients(dir: string | undefined): Omit<Patient, 'mrn' | 'vip'>[] {
  if (!dir || !existsSync(dir)) return [];
  const out: Omit<Patient, 'mrn' | 'vip'>[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    try {
      const b = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { entry?: { resource?: Record<string, any> }[] };
      for (const e of b.entry ?? []) {
        const r = e.resource;
        if (r?.resourceType !== 'Patient') continue;
        const name = r.name?.[0];
        const addr = r.address?.[0];
        const num = /^(\d+)\s+(.*)$/.exec(addr?.line?.[0] ?? '');
        out.push({
          given: String(name?.given?.[0] ?? 'Unknown').replace(/\d+/g, ''),
          family: String(name?.family ?? 'Unknown').replace(/\d+/g, ''),
          sex: r.gender === 'male' ? 'M' : 'F',
          birthDate: String(r.birthDate ?? '1970-01-01'),
          address: { number: num ? Number(num[1]) : 1, street: num ? num[2] : String(addr?.line?.[0] ?? 'Main St'), city: String(addr?.city ?? 'Springfield'), postalCode: String(addr?.postalCode ?? '00000') },
        });
      }
    } catch {
      // A bundle that does not parse is skipped: seeding is best effort.
    }
  }
  return out;
}
