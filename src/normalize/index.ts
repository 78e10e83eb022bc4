/**
 * normalize/: source records → WardEvent. Layouts register by name; `normalize` picks the first
 * that accepts a record (the reader's format hint is passed along).
 */
import type { Location } from '../util/index.js';
import type { WardEvent } from './event.js';
import { listLayouts, registerLayout } from './registry.js';
import { windowsEvtxLayout } from './windows.js';
import { ecsLayout } from './ecs.js';
import { flatLayout } from './flat.js';

export type { WardEvent } from './event.js';
export { NormalizedEvent, getPath } from './event.js';
export type { Layout } from './registry.js';
export { registerLayout, listLayouts, getLayout } from './registry.js';
export { parseTimestamp } from './time.js';
export { evtxFieldCopies } from './windows.js';

registerLayout(windowsEvtxLayout);
registerLayout(ecsLayout);
registerLayout(flatLayout);

export function normalize(record: Record<string, unknown>, loc: Location, format = ''): WardEvent {
  const layouts = listLayouts();
  for (let i = 0; i < layouts.length; i++) {
    if (layouts[i].accepts(record, format)) return layouts[i].normalize(record, loc);
  }
  return flatLayout.normalize(record, loc);
}
// Health layouts (FHIR AuditEvent, ATNA, HL7 v2, EHR access): specific shapes, tried before `flat`.
import { fhirAuditLayout, atnaLayout, hl7Layout, ehrAccessLayout } from './health/index.js';
registerLayout(fhirAuditLayout, { before: 'flat' });
registerLayout(atnaLayout, { before: 'flat' });
registerLayout(hl7Layout, { before: 'flat' });
registerLayout(ehrAccessLayout, { before: 'flat' });
