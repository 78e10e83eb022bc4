/**
 * Builds Ward's example logs: a small hospital Windows estate (a DC, a file server, three clinical
 * workstations), a day of benign work and one ransomware intrusion, rendered in three layouts.
 * Pure and deterministic: the same seed gives byte-identical files.
 */
import { benignActivity } from './benign.js';
import { intrusion } from './attack.js';
import { Estate } from './estate.js';
import type { WinEvent } from './model.js';
import { renderEcs, renderEvtxJson, renderNxlog } from './render.js';

export const SEED = 0x5741524e; // "WARN"

export interface ExampleFile {
  name: string;
  description: string;
  events: number;
  text: string;
}

/** Which file carries an event: the file server ships with Winlogbeat (ECS); the other hosts
 * forward Sysmon as evtx_dump JSON and their Windows logs through NXLog (flat JSON). */
function route(ev: WinEvent): 'ecs' | 'sysmon' | 'flat' {
  if (ev.host.shipping === 'winlogbeat') return 'ecs';
  return ev.channel === 'Microsoft-Windows-Sysmon/Operational' ? 'sysmon' : 'flat';
}

export function buildEvents(seed = SEED): WinEvent[] {
  const e = new Estate(seed);
  benignActivity(e);
  intrusion(e);
  const events = [...e.events].sort((a, b) => a.t - b.t || a.seq - b.seq);
  // EventRecordID: per host and channel, increasing in time order, from a plausible base.
  const next = new Map<string, number>();
  for (const ev of events) {
    const key = `${ev.host.name}|${ev.channel}`;
    let n = next.get(key);
    if (n === undefined) {
      let h = 0;
      for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
      n = 1000 + (h % 90000);
    }
    ev.recordId = n;
    next.set(key, n + 1);
  }
  return events;
}

export function generateExamples(seed = SEED): ExampleFile[] {
  const events = buildEvents(seed);
  const buckets = { sysmon: [] as string[], flat: [] as string[], ecs: [] as string[] };
  for (const ev of events) {
    const r = route(ev);
    const obj = r === 'sysmon' ? renderEvtxJson(ev) : r === 'flat' ? renderNxlog(ev) : renderEcs(ev);
    buckets[r].push(JSON.stringify(obj));
  }
  const file = (name: string, description: string, lines: string[]): ExampleFile => ({ name, description, events: lines.length, text: lines.join('\n') + '\n' });
  return [
    file('windows-sysmon.jsonl', 'Sysmon of the DC and the three workstations, evtx_dump nested JSON', buckets.sysmon),
    file('security-flat.jsonl', 'Security, System, PowerShell and Defender logs of the same hosts, flat NXLog JSON', buckets.flat),
    file('ecs.ndjson', 'every log of the file server, ECS as shipped by Winlogbeat', buckets.ecs),
  ];
}
