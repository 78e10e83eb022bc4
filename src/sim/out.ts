import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Stream = 'windows' | 'fhir' | 'atna' | 'hl7' | 'ehr' | 'dns' | 'proxy';

/** Where each stream is written, relative to the output folder. */
export const STREAM_FILES: Record<Stream, string> = {
  windows: 'windows/events.jsonl',
  fhir: 'fhir/audit.ndjson',
  atna: 'atna/pacs-audit.log',
  hl7: 'hl7/adt.hl7',
  ehr: 'ehr/access.csv',
  dns: 'network/dns.jsonl',
  proxy: 'network/proxy.jsonl',
};

export const EHR_HEADER = 'access_time,user_id,user_name,role,department,patient_mrn,patient_name,action,workstation,ip,break_glass_reason';

/**
 * Ground truth for one injected event. Key names avoid the column names the EHR access reader
 * recognises (user, patient …), so a hunt over the output folder does not read labels as logs.
 */
export interface Label {
  scenario: string;
  scenarioId: number;
  stage: string;
  /** snooping category, for scenario 4 */
  category?: string;
  /** the account that acted (attacker-controlled or insider) */
  actor?: string;
  /** the patient (MRN) whose record was touched */
  victim?: string;
  host?: string;
}

export interface SimEvent {
  stream: Stream;
  /** ms since the epoch */
  t: number;
  /** an object rendered as one JSON line, or a pre-rendered line (HL7: segments joined by CR) */
  body: Record<string, unknown> | string;
  label?: Label;
}

export interface LabelLine extends Label {
  file: string;
  line: number;
  /** 1-based message index for HL7 files (their reader counts segments as lines) */
  record?: number;
  time: string;
}

/** Collects events from all generators, then writes every stream in time order. */
export class Output {
  readonly events: SimEvent[] = [];
  add(e: SimEvent): void {
    this.events.push(e);
  }

  write(dir: string): { files: Record<string, number>; labels: LabelLine[] } {
    const by = new Map<Stream, SimEvent[]>();
    for (const e of this.events) {
      const list = by.get(e.stream);
      if (list) list.push(e);
      else by.set(e.stream, [e]);
    }
    const labels: LabelLine[] = [];
    const files: Record<string, number> = {};
    for (const stream of Object.keys(STREAM_FILES) as Stream[]) {
      const list = (by.get(stream) ?? []).sort((a, b) => a.t - b.t);
      const file = STREAM_FILES[stream];
      const lines: string[] = [];
      if (stream === 'ehr') lines.push(EHR_HEADER);
      const recordIds = new Map<string, number>();
      list.forEach((e, i) => {
        if (stream === 'windows' && typeof e.body === 'object') {
          // EventRecordID increases per computer in time order, as in a real log.
          const sys = (e.body.Event as { System: Record<string, unknown> }).System;
          const host = String(sys.Computer);
          const n = (recordIds.get(host) ?? 1000) + 1;
          recordIds.set(host, n);
          sys.EventRecordID = n;
        }
        lines.push(typeof e.body === 'string' ? e.body : JSON.stringify(e.body));
        if (e.label) {
          const line = stream === 'ehr' ? i + 2 : i + 1;
          labels.push({ ...e.label, file, line, record: stream === 'hl7' ? i + 1 : undefined, time: new Date(e.t).toISOString() });
        }
      });
      const path = join(dir, file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, lines.length ? lines.join('\n') + '\n' : '');
      files[file] = list.length;
    }
    labels.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    writeFileSync(join(dir, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n') + (labels.length ? '\n' : ''));
    return { files, labels };
  }
}
