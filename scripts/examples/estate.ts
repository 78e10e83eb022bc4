import { createHash } from 'node:crypto';
import { Rng } from './rng.js';
import { DOMAIN, SYSTEM_SID, type Host, type Provider, type User, type Value, type WinEvent, utcTime } from './model.js';

export const SYSMON: Provider = { name: 'Microsoft-Windows-Sysmon', guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}' };
export const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
export const SECURITY: Provider = { name: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' };
export const EVENTLOG: Provider = { name: 'Microsoft-Windows-Eventlog', guid: '{FC65DDD8-D6EF-4962-83D5-6E5CFE9CE148}' };
export const SCM: Provider = { name: 'Service Control Manager', guid: '{555908D1-A6D7-4695-8E1E-26931D2012F4}', sourceName: 'Service Control Manager' };
export const POWERSHELL: Provider = { name: 'Microsoft-Windows-PowerShell', guid: '{A0C1853B-5C40-4B15-8766-3CF1C58F985A}' };
export const DEFENDER: Provider = { name: 'Microsoft-Windows-Windows Defender', guid: '{11CD958A-C507-4EF3-B3F2-5FD9DFBD2C78}' };

/** PE version resource of the binaries that appear in the story (Sysmon copies it into EID 1). */
const PE: Record<string, [original: string, description: string, company: string]> = {
  'cmd.exe': ['Cmd.Exe', 'Windows Command Processor', 'Microsoft Corporation'],
  'powershell.exe': ['PowerShell.EXE', 'Windows PowerShell', 'Microsoft Corporation'],
  'rundll32.exe': ['RUNDLL32.EXE', 'Windows host process (Rundll32)', 'Microsoft Corporation'],
  'wmic.exe': ['wmic.exe', 'WMI Commandline Utility', 'Microsoft Corporation'],
  'wmiprvse.exe': ['Wmiprvse.exe', 'WMI Provider Host', 'Microsoft Corporation'],
  'net.exe': ['net.exe', 'Net Command', 'Microsoft Corporation'],
  'nltest.exe': ['nltestrk.exe', 'Microsoft® Logon Server Test Utility', 'Microsoft Corporation'],
  'dsquery.exe': ['dsquery.exe', 'Active Directory Domain Services Directory Query', 'Microsoft Corporation'],
  'vssadmin.exe': ['VSSADMIN.EXE', 'Command Line Interface for Microsoft® Volume Shadow Copy Service ', 'Microsoft Corporation'],
  'wbadmin.exe': ['WBADMIN.EXE', 'Command Line Interface for Microsoft® BLB Backup', 'Microsoft Corporation'],
  'bcdedit.exe': ['bcdedit.exe', 'Boot Configuration Data Editor', 'Microsoft Corporation'],
  'wevtutil.exe': ['wevtutil.exe', 'Eventing Command Line Utility', 'Microsoft Corporation'],
  'sc.exe': ['sc.exe', 'Service Control Manager Configuration Tool', 'Microsoft Corporation'],
  'reg.exe': ['reg.exe', 'Registry Console Tool', 'Microsoft Corporation'],
  'winword.exe': ['WinWord.exe', 'Microsoft Word', 'Microsoft Corporation'],
  'excel.exe': ['Excel.exe', 'Microsoft Excel', 'Microsoft Corporation'],
  'outlook.exe': ['Outlook.exe', 'Microsoft Outlook', 'Microsoft Corporation'],
  'splwow64.exe': ['splwow64.exe', 'Print driver host for applications', 'Microsoft Corporation'],
  'chrome.exe': ['chrome.exe', 'Google Chrome', 'Google LLC'],
  'adfind.exe': ['AdFind.exe', 'Joeware ADFind', 'www.joeware.net'],
  'psexec64.exe': ['psexec.c', 'Execute processes remotely', 'Sysinternals - www.sysinternals.com'],
  'psexesvc.exe': ['psexesvc.exe', 'PsExec Service', 'Sysinternals'],
  'procdump64.exe': ['procdump', 'Sysinternals process dump utility', 'Sysinternals - www.sysinternals.com'],
  'clinicalviewer.exe': ['ClinicalViewer.exe', 'Ridgeview Clinical Viewer', 'Ridgeview Health IT'],
  'pacsclient.exe': ['PacsClient.exe', 'Radiology image viewer', 'Ridgeview Health IT'],
  'dispensary.exe': ['Dispensary.exe', 'Pharmacy dispensing client', 'Ridgeview Health IT'],
  'gpupdate.exe': ['GPUpdate.exe', 'Microsoft® Windows Group Policy Update Utility', 'Microsoft Corporation'],
  'taskhostw.exe': ['taskhostw.exe', 'Host Process for Windows Tasks', 'Microsoft Corporation'],
  'svcupd.exe': ['svcupd.exe', '', ''],
  'svchost.exe': ['svchost.exe', 'Host Process for Windows Services', 'Microsoft Corporation'],
  'explorer.exe': ['EXPLORER.EXE', 'Windows Explorer', 'Microsoft Corporation'],
  'msmpeng.exe': ['MsMpEng.exe', 'Antimalware Service Executable', 'Microsoft Corporation'],
  'printui.exe': ['PRINTUI.EXE', 'Windows Printer Migration and Setup', 'Microsoft Corporation'],
  'repadmin.exe': ['repadmin.exe', 'Replication Diagnostics Tool', 'Microsoft Corporation'],
};

export interface Proc {
  host: Host;
  pid: number;
  guid: string;
  image: string;
  cmd: string;
  user: string;
  logonId: string;
}

export interface Spawn {
  image: string;
  cmd: string;
  user?: User | 'SYSTEM';
  integrity?: 'Low' | 'Medium' | 'High' | 'System';
  cwd?: string;
}

function base(image: string): string {
  return image.slice(image.lastIndexOf('\\') + 1).toLowerCase();
}

/** Collects the events of one simulated hospital estate, with per-host record ids and processes. */
export class Estate {
  readonly rng: Rng;
  readonly events: WinEvent[] = [];
  private seq = 0;
  private readonly roots = new Map<string, Proc>();

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  emit(e: Omit<WinEvent, 'seq' | 'version' | 'level' | 'task' | 'opcode' | 'keywords' | 'execPid' | 'execTid'> & Partial<WinEvent>): WinEvent {
    const ev: WinEvent = {
      version: 0,
      level: 4,
      task: 0,
      opcode: 0,
      keywords: '0x8000000000000000',
      execPid: this.rng.int(500, 3000),
      execTid: this.rng.int(100, 9000),
      ...e,
      seq: this.seq++,
    };
    this.events.push(ev);
    return ev;
  }

  /** The long-lived process (explorer.exe, services.exe …) that interactive and service work hangs off. */
  root(host: Host, image: string, user: User | 'SYSTEM'): Proc {
    const key = `${host.name}|${image}|${user === 'SYSTEM' ? 'SYSTEM' : user.name}`;
    let p = this.roots.get(key);
    if (!p) {
      p = {
        host,
        pid: this.rng.int(400, 9000),
        guid: this.rng.guid(),
        image,
        cmd: image,
        user: user === 'SYSTEM' ? 'NT AUTHORITY\\SYSTEM' : `${DOMAIN}\\${user.name}`,
        logonId: user === 'SYSTEM' ? '0x3e7' : `0x${this.rng.hex(6)}`,
      };
      this.roots.set(key, p);
    }
    return p;
  }

  /** Sysmon event 1 (process creation); returns the new process so children can hang off it. */
  spawn(t: number, parent: Proc, s: Spawn): Proc {
    const host = parent.host;
    const user =
      s.user === undefined ? parent.user : s.user === 'SYSTEM' ? 'NT AUTHORITY\\SYSTEM' : `${DOMAIN}\\${s.user.name}`;
    const child: Proc = {
      host,
      pid: this.rng.int(1000, 12000),
      guid: this.rng.guid(),
      image: s.image,
      cmd: s.cmd,
      user,
      logonId: user === parent.user ? parent.logonId : user.endsWith('SYSTEM') ? '0x3e7' : `0x${this.rng.hex(6)}`,
    };
    const pe = PE[base(s.image)] ?? ['', '', ''];
    const sha = createHash('sha256').update(base(s.image)).digest('hex').toUpperCase();
    const data: Record<string, Value> = {
      RuleName: '-',
      UtcTime: utcTime(t),
      ProcessGuid: child.guid,
      ProcessId: String(child.pid),
      Image: s.image,
      FileVersion: pe[0] ? '10.0.19041.1 (WinBuild.160101.0800)' : '-',
      Description: pe[1] || '-',
      Product: pe[2].startsWith('Microsoft') ? 'Microsoft® Windows® Operating System' : pe[1] || '-',
      Company: pe[2] || '-',
      OriginalFileName: pe[0] || '-',
      CommandLine: s.cmd,
      CurrentDirectory: s.cwd ?? 'C:\\Windows\\system32\\',
      User: user,
      LogonGuid: this.rng.guid(),
      LogonId: child.logonId,
      TerminalSessionId: user.endsWith('SYSTEM') ? '0' : '1',
      IntegrityLevel: s.integrity ?? (user.endsWith('SYSTEM') ? 'System' : 'Medium'),
      Hashes: `SHA256=${sha}`,
      ParentProcessGuid: parent.guid,
      ParentProcessId: String(parent.pid),
      ParentImage: parent.image,
      ParentCommandLine: parent.cmd,
      ParentUser: parent.user,
    };
    this.emit({
      t, host, channel: 'Microsoft-Windows-Sysmon/Operational', provider: SYSMON, id: 1, version: 5, task: 1,
      userSid: SYSTEM_SID, data, message: `Process Create: ${s.image}`,
      ecs: { category: ['process'], type: ['start'], action: 'Process Create (rule: ProcessCreate)' },
    });
    return child;
  }

  /** Sysmon event 10 (process access). */
  access(t: number, src: Proc, target: Proc, grantedAccess: string, callTrace: string): void {
    this.emit({
      t, host: src.host, channel: SYSMON_CHANNEL, provider: SYSMON, id: 10, version: 3, task: 10, userSid: SYSTEM_SID,
      data: {
        RuleName: '-', UtcTime: utcTime(t), SourceProcessGUID: src.guid, SourceProcessId: String(src.pid),
        SourceThreadId: String(this.rng.int(100, 9000)), SourceImage: src.image, TargetProcessGUID: target.guid,
        TargetProcessId: String(target.pid), TargetImage: target.image, GrantedAccess: grantedAccess, CallTrace: callTrace,
        SourceUser: src.user, TargetUser: target.user,
      },
      message: `Process accessed: ${src.image} -> ${target.image}`,
      ecs: { category: ['process'], type: ['access'], action: 'Process accessed (rule: ProcessAccess)' },
    });
  }

  /** Sysmon event 11 (file created). */
  fileCreate(t: number, p: Proc, path: string): void {
    this.emit({
      t, host: p.host, channel: SYSMON_CHANNEL, provider: SYSMON, id: 11, version: 2, task: 11, userSid: SYSTEM_SID,
      data: { RuleName: '-', UtcTime: utcTime(t), ProcessGuid: p.guid, ProcessId: String(p.pid), Image: p.image, TargetFilename: path, CreationUtcTime: utcTime(t), User: p.user },
      message: `File created: ${path}`,
      ecs: { category: ['file'], type: ['creation'], action: 'File created (rule: FileCreate)' },
    });
  }

  /** Sysmon event 13 (registry value set); `details` in Sysmon's rendering, e.g. "DWORD (0x00000001)". */
  regSet(t: number, p: Proc, key: string, details: string): void {
    this.emit({
      t, host: p.host, channel: SYSMON_CHANNEL, provider: SYSMON, id: 13, version: 2, task: 13, userSid: SYSTEM_SID,
      data: { RuleName: '-', EventType: 'SetValue', UtcTime: utcTime(t), ProcessGuid: p.guid, ProcessId: String(p.pid), Image: p.image, TargetObject: key, Details: details, User: p.user },
      message: `Registry value set: ${key}`,
      ecs: { category: ['configuration', 'registry'], type: ['change'], action: 'Registry value set (rule: RegistryEvent)' },
    });
  }

  /** Sysmon event 17 (pipe created). */
  pipe(t: number, p: Proc, name: string): void {
    this.emit({
      t, host: p.host, channel: SYSMON_CHANNEL, provider: SYSMON, id: 17, version: 1, task: 17, userSid: SYSTEM_SID,
      data: { RuleName: '-', EventType: 'CreatePipe', UtcTime: utcTime(t), ProcessGuid: p.guid, ProcessId: String(p.pid), PipeName: name, Image: p.image, User: p.user },
      message: `Pipe Created: ${name}`,
      ecs: { category: ['file'], type: ['creation'], action: 'Pipe Created (rule: PipeEvent)' },
    });
  }

  /** Sysmon event 3 (network connection). */
  connect(t: number, p: Proc, dstIp: string, dstPort: number): void {
    this.emit({
      t, host: p.host, channel: SYSMON_CHANNEL, provider: SYSMON, id: 3, version: 5, task: 3, userSid: SYSTEM_SID,
      data: {
        RuleName: '-', UtcTime: utcTime(t), ProcessGuid: p.guid, ProcessId: String(p.pid), Image: p.image, User: p.user,
        Protocol: 'tcp', Initiated: 'true', SourceIsIpv6: 'false', SourceIp: p.host.ip, SourceHostname: p.host.fqdn,
        SourcePort: String(this.rng.int(49152, 65000)), SourcePortName: '-', DestinationIsIpv6: 'false',
        DestinationIp: dstIp, DestinationHostname: '-', DestinationPort: String(dstPort), DestinationPortName: dstPort === 443 ? 'https' : dstPort === 80 ? 'http' : '-',
      },
      message: `Network connection detected: ${p.image} -> ${dstIp}:${dstPort}`,
      ecs: { category: ['network'], type: ['connection', 'start'], action: 'Network connection detected (rule: NetworkConnect)' },
    });
  }
}
