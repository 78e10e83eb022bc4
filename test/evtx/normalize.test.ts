import { describe, expect, it } from 'vitest';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalize } from '../../src/normalize/index.js';
import { getReader, type SourceItem } from '../../src/sources/index.js';

/**
 * The reader's records feed `ward hunt` through the normalize layer's `evtx-json` layout: Sigma
 * field names (Image, CommandLine, EventID, Provider_Name, …) must come out of them.
 */
const sample = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'evtx', 'sample.evtx');

describe('evtx records through normalize', () => {
  it('yields the Sigma fields of each event', async () => {
    const events = [];
    for await (const batch of getReader('evtx')!.read(sample)) {
      for (const item of batch as SourceItem[]) if (item.kind === 'record') events.push(normalize(item.data, item.loc, item.format));
    }
    expect(events).toHaveLength(5);
    const proc = events[1];
    expect(proc.layout).toBe('evtx-json');
    expect(proc.get('EventID')).toBe(1);
    expect(proc.get('Provider_Name')).toBe('Microsoft-Windows-Sysmon');
    expect(proc.get('Image')).toBe('C:\\Windows\\System32\\vssadmin.exe');
    expect(proc.get('CommandLine')).toBe('vssadmin delete shadows /all /quiet');
    expect(proc.get('LogonId')).toBe('0x3e7');
    expect(proc.host).toBe('ward-ws01.hospital.local');
    expect(proc.timestamp).toBe(Date.parse('2024-03-01T12:34:56.789Z'));
    expect(proc.loc).toMatchObject({ file: sample, record: 102 });
    expect(events[3].get('SubjectUserName')).toBe('admin');
  });
});
