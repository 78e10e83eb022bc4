/**
 * The three on-disk layouts the examples are written in, one JSON object per line:
 *  - evtx_dump nested JSON (MS-EVEN6 event XML as JSON: `{"Event":{"System":…,"EventData":…}}`),
 *    the shape of the JSONL files converted from .evtx;
 *  - flat NXLog im_msvistalog JSON: header fields (EventTime, Hostname, SourceName, EventID,
 *    Channel …) with the EventData / UserData children at the top level;
 *  - ECS as Winlogbeat 8 ships it: `winlog.*`, `event.code`, `host.name`, `@timestamp`, and the
 *    Sysmon fields moved to ECS names (`process.executable`, `file.path`, `registry.path` …).
 */
import type { Value, WinEvent } from './model.js';
import { systemTime } from './model.js';

const OPCODE_NAME: Record<number, string> = { 0: 'Info', 15: 'On create calls' };

function sub(ev: WinEvent): number {
  // deterministic sub-millisecond digits, so SystemTime has Windows' 100-ns precision
  return (ev.seq * 7919) % 10000;
}

export function renderEvtxJson(ev: WinEvent): Record<string, unknown> {
  const provider: Record<string, string> = { Name: ev.provider.name };
  if (ev.provider.guid) provider.Guid = ev.provider.guid;
  if (ev.provider.sourceName) provider.EventSourceName = ev.provider.sourceName;
  const system = {
    Provider: { '#attributes': provider },
    EventID: ev.id,
    Version: ev.version,
    Level: ev.level,
    Task: ev.task,
    Opcode: ev.opcode,
    Keywords: ev.keywords,
    TimeCreated: { '#attributes': { SystemTime: systemTime(ev.t, sub(ev)) } },
    EventRecordID: ev.recordId,
    Correlation: null,
    Execution: { '#attributes': { ProcessID: String(ev.execPid), ThreadID: String(ev.execTid) } },
    Channel: ev.channel,
    Computer: ev.host.fqdn,
    Security: ev.userSid ? { '#attributes': { UserID: ev.userSid } } : null,
  };
  const event: Record<string, unknown> = { System: system };
  if (ev.data) event.EventData = { ...ev.data };
  if (ev.userData) event.UserData = { [ev.userData.root]: { ...ev.userData.fields } };
  return { Event: event };
}

function nxlogTime(t: number): string {
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

function nxlogEventType(ev: WinEvent): string {
  if (ev.channel === 'Security') return ev.keywords === '0x8010000000000000' ? 'AUDIT_FAILURE' : 'AUDIT_SUCCESS';
  return ev.level === 2 ? 'ERROR' : ev.level === 3 ? 'WARNING' : 'INFO';
}

export function renderNxlog(ev: WinEvent): Record<string, unknown> {
  const type = nxlogEventType(ev);
  const out: Record<string, unknown> = {
    EventTime: nxlogTime(ev.t),
    Hostname: ev.host.fqdn,
    // NXLog prints the 64-bit keyword mask as a signed decimal
    Keywords: BigInt.asIntN(64, BigInt(ev.keywords)).toString(),
    EventType: type,
    SeverityValue: type === 'ERROR' ? 4 : type === 'WARNING' ? 3 : 2,
    Severity: type === 'ERROR' ? 'ERROR' : type === 'WARNING' ? 'WARNING' : 'INFO',
    EventID: ev.id,
    SourceName: ev.provider.name,
    ProviderGuid: ev.provider.guid,
    Version: ev.version,
    TaskValue: ev.task,
    OpcodeValue: ev.opcode,
    RecordNumber: ev.recordId,
    ExecutionProcessID: ev.execPid,
    ExecutionThreadID: ev.execTid,
    Channel: ev.channel,
    Message: ev.message,
    Opcode: OPCODE_NAME[ev.opcode] ?? 'Info',
  };
  if (ev.userSid) out.UserID = ev.userSid;
  const fields: Record<string, Value> = { ...(ev.data ?? {}), ...(ev.userData?.fields ?? {}) };
  for (const [k, v] of Object.entries(fields)) if (out[k] === undefined && v !== null) out[k] = v;
  out.EventReceivedTime = nxlogTime(ev.t + 1000);
  out.SourceModuleName = 'eventlog';
  out.SourceModuleType = 'im_msvistalog';
  return out;
}

/** Moves Sysmon event-data fields to their ECS homes, as Winlogbeat's sysmon module does. */
function ecsMove(ev: WinEvent, data: Record<string, Value>, doc: Record<string, any>): void {
  const take = (k: string): Value | undefined => {
    const v = data[k];
    delete data[k];
    return v;
  };
  const num = (v: Value | undefined): number | undefined => (v == null ? undefined : Number(v));
  if (ev.provider.name === 'Microsoft-Windows-Sysmon') {
    if (ev.id === 1) {
      const [domain, name] = String(data.User).split('\\');
      doc.process = {
        entity_id: take('ProcessGuid'), pid: num(take('ProcessId')), executable: take('Image'),
        name: String(data.OriginalFileName ?? ''), command_line: take('CommandLine'), working_directory: take('CurrentDirectory'),
        pe: { original_file_name: take('OriginalFileName'), description: take('Description'), product: take('Product'), company: take('Company'), file_version: take('FileVersion') },
        hash: { sha256: String(take('Hashes')).replace(/^SHA256=/, '').toLowerCase() },
        parent: { entity_id: take('ParentProcessGuid'), pid: num(take('ParentProcessId')), executable: take('ParentImage'), command_line: take('ParentCommandLine') },
      };
      doc.process.name = String(doc.process.executable).split('\\').pop();
      doc.user = { domain, name };
      take('User');
    } else if (ev.id === 3) {
      doc.process = { entity_id: take('ProcessGuid'), pid: num(take('ProcessId')), executable: take('Image') };
      doc.source = { ip: take('SourceIp'), port: num(take('SourcePort')), domain: take('SourceHostname') };
      doc.destination = { ip: take('DestinationIp'), port: num(take('DestinationPort')) };
      doc.network = { transport: take('Protocol'), direction: 'egress' };
    } else if (ev.id === 11) {
      doc.process = { entity_id: take('ProcessGuid'), pid: num(take('ProcessId')), executable: take('Image') };
      const path = String(take('TargetFilename'));
      doc.file = { path, name: path.split('\\').pop(), directory: path.slice(0, path.lastIndexOf('\\')) };
    } else if (ev.id === 13) {
      doc.process = { entity_id: take('ProcessGuid'), pid: num(take('ProcessId')), executable: take('Image') };
      const key = String(take('TargetObject'));
      doc.registry = { path: key, value: key.split('\\').pop(), data: { strings: [data.Details] } };
    } else if (ev.id === 17) {
      doc.process = { entity_id: take('ProcessGuid'), pid: num(take('ProcessId')), executable: take('Image') };
      doc.file = { name: data.PipeName };
    }
  } else if (ev.id === 4104) {
    doc.powershell = { file: { script_block_text: take('ScriptBlockText'), script_block_id: take('ScriptBlockId') } };
  } else if (ev.id === 4624 || ev.id === 4634) {
    doc.user = { name: data.TargetUserName, domain: data.TargetDomainName, id: data.TargetUserSid };
    if (data.IpAddress && data.IpAddress !== '-') doc.source = { ip: data.IpAddress };
  }
}

export function renderEcs(ev: WinEvent): Record<string, unknown> {
  const data: Record<string, Value> = { ...(ev.data ?? {}) };
  const doc: Record<string, any> = {
    '@timestamp': new Date(ev.t).toISOString(),
    agent: { type: 'winlogbeat', version: '8.15.3', name: ev.host.name.toLowerCase() },
    ecs: { version: '8.0.0' },
    host: { name: ev.host.name.toLowerCase(), hostname: ev.host.name.toLowerCase(), ip: [ev.host.ip], os: { family: 'windows', platform: 'windows', version: '10.0' } },
    event: {
      code: String(ev.id),
      kind: 'event',
      provider: ev.provider.name,
      created: new Date(ev.t + 1500).toISOString(),
      module: ev.provider.name === 'Microsoft-Windows-Sysmon' ? 'sysmon' : ev.channel === 'Security' ? 'security' : ev.provider.name === 'Microsoft-Windows-PowerShell' ? 'powershell' : undefined,
      ...ev.ecs,
    },
    log: { level: ev.level === 2 ? 'error' : ev.level === 3 ? 'warning' : 'information' },
    message: ev.message,
  };
  ecsMove(ev, data, doc);
  const winlog: Record<string, unknown> = {
    channel: ev.channel,
    provider_name: ev.provider.name,
    provider_guid: ev.provider.guid,
    event_id: String(ev.id),
    record_id: ev.recordId,
    computer_name: ev.host.fqdn,
    api: 'wineventlog',
    opcode: OPCODE_NAME[ev.opcode] ?? 'Info',
    process: { pid: ev.execPid, thread: { id: ev.execTid } },
    keywords: ev.channel === 'Security' ? ['Audit Success'] : undefined,
  };
  if (ev.userSid) winlog.user = { identifier: ev.userSid };
  if (ev.id === 4624) winlog.logon = { type: { 2: 'Interactive', 3: 'Network', 5: 'Service', 10: 'RemoteInteractive' }[Number(data.LogonType)] };
  if (Object.keys(data).length) winlog.event_data = data;
  if (ev.userData) winlog.user_data = { xml_name: ev.userData.root, ...ev.userData.fields };
  doc.winlog = winlog;
  return doc;
}
