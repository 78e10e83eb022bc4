/**
 * The project's own EVTX fixtures: a Sysmon-like process-creation template, a Security-like
 * template with typed System values, and an event whose UserData is nested BinXml; records spread
 * over two chunks. `expected` holds the evtx_dump-shaped JSON each record must render to.
 */
import { buildChunk, buildFile, type RecordSpec, type XElement, type SubValue } from './binxml-writer.js';

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const sub = (i: number, type: number, optional = false) => ({ sub: i, type, optional });

/** System block shared by the templates: values 0–9; the channel is literal template text. */
function system(channel: string): XElement {
  return {
    name: 'System',
    kids: [
      { name: 'Provider', attrs: [['Name', sub(0, 0x01, true)], ['Guid', sub(1, 0x0f, true)]] },
      { name: 'EventID', attrs: [['Qualifiers', sub(2, 0x06, true)]], kids: [sub(3, 0x06)] },
      { name: 'Level', kids: [sub(4, 0x04)] },
      { name: 'Keywords', kids: [sub(5, 0x15)] },
      { name: 'TimeCreated', attrs: [['SystemTime', sub(6, 0x11)]] },
      { name: 'EventRecordID', kids: [sub(7, 0x0a)] },
      { name: 'Correlation' },
      { name: 'Channel', kids: [channel] },
      { name: 'Computer', kids: [sub(8, 0x01)] },
      { name: 'Security', attrs: [['UserID', sub(9, 0x13, true)]] },
    ],
  };
}

function systemValues(p: { provider: string; guid: string; qualifiers?: number; id: number; rid: number; sid?: string }): SubValue[] {
  return [
    { type: 'string', v: p.provider },
    { type: 'guid', v: p.guid },
    p.qualifiers === undefined ? { type: 'null' } : { type: 'u16', v: p.qualifiers },
    { type: 'u16', v: p.id },
    { type: 'u8', v: 4 },
    { type: 'hex64', v: 0x8000000000000000n },
    // 2024-03-01T12:34:56.789012Z as FILETIME ticks (plus 3 sub-microsecond ticks, truncated)
    { type: 'filetime', v: 133537700967890123n },
    { type: 'u64', v: BigInt(p.rid) },
    { type: 'string', v: 'ward-ws01.hospital.local' },
    p.sid ? { type: 'sid', v: p.sid } : { type: 'null' },
  ];
}

export const processTemplate: XElement = {
  name: 'Event',
  attrs: [['xmlns', NS]],
  kids: [
    system('Microsoft-Windows-Sysmon/Operational'),
    {
      name: 'EventData',
      kids: [
        { name: 'Data', attrs: [['Name', 'RuleName']], kids: [sub(10, 0x01)] },
        { name: 'Data', attrs: [['Name', 'ProcessGuid']], kids: [sub(11, 0x0f)] },
        { name: 'Data', attrs: [['Name', 'ProcessId']], kids: [sub(12, 0x08)] },
        { name: 'Data', attrs: [['Name', 'Image']], kids: [sub(13, 0x01)] },
        { name: 'Data', attrs: [['Name', 'CommandLine']], kids: [sub(14, 0x01)] },
        { name: 'Data', attrs: [['Name', 'LogonId']], kids: [sub(15, 0x15)] },
        { name: 'Data', attrs: [['Name', 'Signed']], kids: [sub(16, 0x0d)] },
        { name: 'Data', attrs: [['Name', 'Empty']], kids: [sub(17, 0x01, true)] },
      ],
    },
  ],
};

function processValues(rid: number, image: string, cmd: string, pid: number): SubValue[] {
  return [
    ...systemValues({ provider: 'Microsoft-Windows-Sysmon', guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9', id: 1, rid, sid: 'S-1-5-18' }),
    { type: 'string', v: '-' },
    { type: 'guid', v: '0197231E-8BFF-6926-1308-000000000D00' },
    { type: 'u32', v: pid },
    { type: 'string', v: image },
    { type: 'string', v: cmd },
    { type: 'hex64', v: 0x3e7n },
    { type: 'bool', v: 1 },
    { type: 'string', v: '' },
  ];
}

/** Classic provider: unnamed Data elements, a string array expanded into repeated <Data>, binary. */
export const classicTemplate: XElement = {
  name: 'Event',
  attrs: [['xmlns', NS]],
  kids: [
    system('System'),
    {
      name: 'EventData',
      kids: [{ name: 'Data', kids: [sub(10, 0x81)] }, { name: 'Data', kids: [sub(11, 0x07)] }, { name: 'Binary', kids: [sub(12, 0x0e)] }],
    },
  ],
};

/** UserData holding nested BinXml (value type 0x21), plus repeated names and entity references. */
export const userDataTemplate: XElement = {
  name: 'Event',
  attrs: [['xmlns', NS]],
  kids: [system('Security'), { name: 'UserData', kids: [sub(10, 0x21)] }],
};

const nestedUserData: XElement = {
  name: 'LogFileCleared',
  attrs: [['xmlns', 'http://manifests.microsoft.com/win/2004/08/windows/eventlog']],
  kids: [
    { name: 'SubjectUserName', kids: ['admin  '] },
    { name: 'Header', kids: ['HTTP/1.1 200 OK'] },
    { name: 'Header', kids: ['x-ms-version: 2009'] },
    { name: 'Note', kids: ['a', { entity: 'amp' }, 'b'] },
  ],
};

export const records: { chunk: number; spec: RecordSpec }[] = [
  { chunk: 0, spec: { id: 101, template: processTemplate, values: processValues(101, 'C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c whoami ', 4242) } },
  { chunk: 0, spec: { id: 102, template: processTemplate, values: processValues(102, 'C:\\Windows\\System32\\vssadmin.exe', 'vssadmin delete shadows /all /quiet', 5150) } },
  {
    chunk: 0,
    spec: {
      id: 103,
      template: classicTemplate,
      values: [
        ...systemValues({ provider: 'Service Control Manager', guid: '555908D1-A6D7-4695-8E1E-26931D2012F4', qualifiers: 16384, id: 7036, rid: 103 }),
        { type: 'strings', v: ['Windows Update', 'running'] },
        { type: 'i32', v: -5 },
        { type: 'binary', v: Buffer.from([0x57, 0x00, 0xab]) },
      ],
    },
  },
  { chunk: 1, spec: { id: 104, template: userDataTemplate, values: [...systemValues({ provider: 'Microsoft-Windows-Eventlog', guid: 'FC65DDD8-D6EF-4962-83D5-6E5CFE9CE148', id: 1102, rid: 104 }), { type: 'binxml', v: nestedUserData }] } },
  { chunk: 1, spec: { id: 105, template: processTemplate, values: processValues(105, 'C:\\Windows\\explorer.exe', 'explorer.exe', 77) } },
];

export function buildSampleChunks(): Buffer[] {
  return [0, 1].map((c) => buildChunk(records.filter((r) => r.chunk === c).map((r) => r.spec)));
}

export function buildSampleFile(): Buffer {
  return buildFile(buildSampleChunks(), 106);
}

function expectedSystem(p: { provider: string; guid: string; qualifiers?: number; id: number; rid: number; sid?: string; channel: string }) {
  return {
    Provider: { '#attributes': { Name: p.provider, Guid: p.guid } },
    EventID: p.qualifiers === undefined ? p.id : { '#attributes': { Qualifiers: p.qualifiers }, '#text': p.id },
    Level: 4,
    Keywords: '0x8000000000000000',
    TimeCreated: { '#attributes': { SystemTime: '2024-03-01T12:34:56.789012Z' } },
    EventRecordID: p.rid,
    Correlation: null,
    Channel: p.channel,
    Computer: 'ward-ws01.hospital.local',
    Security: p.sid ? { '#attributes': { UserID: p.sid } } : null,
  };
}

function expectedProcess(rid: number, image: string, cmd: string, pid: number) {
  return {
    Event: {
      '#attributes': { xmlns: NS },
      System: expectedSystem({ provider: 'Microsoft-Windows-Sysmon', guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9', id: 1, rid, sid: 'S-1-5-18', channel: 'Microsoft-Windows-Sysmon/Operational' }),
      EventData: {
        RuleName: '-',
        ProcessGuid: '0197231E-8BFF-6926-1308-000000000D00',
        ProcessId: pid,
        Image: image,
        CommandLine: cmd.trim(),
        LogonId: '0x3e7',
        Signed: true,
        Empty: '',
      },
    },
  };
}

export const expected: Record<number, unknown> = {
  101: expectedProcess(101, 'C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c whoami ', 4242),
  102: expectedProcess(102, 'C:\\Windows\\System32\\vssadmin.exe', 'vssadmin delete shadows /all /quiet', 5150),
  103: {
    Event: {
      '#attributes': { xmlns: NS },
      System: expectedSystem({ provider: 'Service Control Manager', guid: '555908D1-A6D7-4695-8E1E-26931D2012F4', qualifiers: 16384, id: 7036, rid: 103, channel: 'System' }),
      EventData: { Data: { '#text': ['Windows Update', 'running', -5] }, Binary: '5700AB' },
    },
  },
  104: {
    Event: {
      '#attributes': { xmlns: NS },
      System: expectedSystem({ provider: 'Microsoft-Windows-Eventlog', guid: 'FC65DDD8-D6EF-4962-83D5-6E5CFE9CE148', id: 1102, rid: 104, channel: 'Security' }),
      UserData: {
        LogFileCleared: {
          '#attributes': { xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' },
          SubjectUserName: 'admin',
          Header: 'HTTP/1.1 200 OK',
          Header_1: 'x-ms-version: 2009',
          Note: 'a&amp;b',
        },
      },
    },
  },
  105: expectedProcess(105, 'C:\\Windows\\explorer.exe', 'explorer.exe', 77),
};
