import type { Rng } from '../prng.js';

/**
 * Windows events in the evtx_dump JSON layout (MS-EVEN6 event XML as JSON): `{"Event": {"System":
 * …, "EventData": …}}`, System attributes under "#attributes". Sysmon schema 4.90 field names.
 */
const SYSMON = { Name: 'Microsoft-Windows-Sysmon', Guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}' };
const SECURITY = { Name: 'Microsoft-Windows-Security-Auditing', Guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' };
const SCM = { Name: 'Service Control Manager', Guid: '{555908d1-a6d7-4695-8e1e-26931d2012f4}', EventSourceName: 'Service Control Manager' };

export function iso(t: number): string {
  return new Date(t).toISOString().replace('Z', '000Z');
}

/** Sysmon's UtcTime: "2026-03-02 08:01:02.123". */
export function utcTime(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').replace('Z', '');
}

function event(provider: Record<string, string>, channel: string, eventId: number, t: number, computer: string, data: Record<string, unknown>, opts: { task?: number; version?: number; userSid?: string; pid?: number; level?: number; keywords?: string } = {}): Record<string, unknown> {
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': provider },
        EventID: eventId,
        Version: opts.version ?? (channel === 'Security' ? 2 : 5),
        Level: opts.level ?? (channel === 'Security' ? 0 : 4),
        Task: opts.task ?? eventId,
        Opcode: 0,
        Keywords: opts.keywords ?? (channel === 'Security' ? '0x8020000000000000' : '0x8000000000000000'),
        TimeCreated: { '#attributes': { SystemTime: iso(t) } },
        EventRecordID: 0,
        Correlation: null,
        Execution: { '#attributes': { ProcessID: opts.pid ?? (channel === 'Security' ? 636 : 3140), ThreadID: 4000 + (eventId % 97) } },
        Channel: channel,
        Computer: computer,
        Security: opts.userSid ? { '#attributes': { UserID: opts.userSid } } : null,
      },
      EventData: data,
    },
  };
}

export interface Proc {
  guid: string;
  pid: number;
  image: string;
  commandLine: string;
  user: string;
  integrity?: string;
  logonId?: string;
}

export function newProc(rng: Rng, image: string, commandLine: string, user: string, integrity = 'Medium'): Proc {
  return { guid: `{${rng.guid()}}`, pid: rng.int(1000, 15000) & ~3, image, commandLine, user, integrity, logonId: `0x${rng.hex(6)}` };
}

/** Metadata Sysmon reads from the PE version resource, for realistic OriginalFileName etc. */
const PE: Record<string, [string, string, string]> = {
  'winword.exe': ['Microsoft Word', 'Microsoft Office', 'WinWord.exe'],
  'outlook.exe': ['Microsoft Outlook', 'Microsoft Office', 'Outlook.exe'],
  'powershell.exe': ['Windows PowerShell', 'Microsoft® Windows® Operating System', 'PowerShell.EXE'],
  'cmd.exe': ['Windows Command Processor', 'Microsoft® Windows® Operating System', 'Cmd.Exe'],
  'rundll32.exe': ['Windows host process (Rundll32)', 'Microsoft® Windows® Operating System', 'RUNDLL32.EXE'],
  'nltest.exe': ['Microsoft® Logon Server Test Utility', 'Microsoft® Windows® Operating System', 'nltestrk.exe'],
  'vssadmin.exe': ['Command Line Interface for Microsoft® Volume Shadow Copy Service', 'Microsoft® Windows® Operating System', 'VSSADMIN.EXE'],
  'wmic.exe': ['WMI Commandline Utility', 'Microsoft® Windows® Operating System', 'wmic.exe'],
  'net.exe': ['Net Command', 'Microsoft® Windows® Operating System', 'net.exe'],
  'whoami.exe': ['whoami - displays logged on user information', 'Microsoft® Windows® Operating System', 'whoami.exe'],
  'bcdedit.exe': ['Boot Configuration Data Editor', 'Microsoft® Windows® Operating System', 'bcdedit.exe'],
  'wbadmin.exe': ['Command Line Interface for Microsoft® BlockLevel Backup Engine', 'Microsoft® Windows® Operating System', 'WBADMIN.EXE'],
  'adfind.exe': ['AdFind.exe', 'AdFind', 'AdFind.exe'],
  'psexec.exe': ['Execute processes remotely', 'Sysinternals PsExec', 'psexec.c'],
  'psexesvc.exe': ['PsExec Service Host', 'Sysinternals PsExec', 'psexesvc.exe'],
  'chrome.exe': ['Google Chrome', 'Google Chrome', 'chrome.exe'],
  'msedge.exe': ['Microsoft Edge', 'Microsoft Edge', 'msedge.exe'],
  'clinicalviewer.exe': ['Clinical Viewer', 'Clinical Viewer', 'ClinicalViewer.exe'],
  'teams.exe': ['Microsoft Teams', 'Microsoft Teams', 'Teams.exe'],
  'excel.exe': ['Microsoft Excel', 'Microsoft Office', 'Excel.exe'],
  'gpupdate.exe': ['Microsoft® Group Policy Update Utility', 'Microsoft® Windows® Operating System', 'GPUpdate.exe'],
  'ipconfig.exe': ['IP Configuration Utility', 'Microsoft® Windows® Operating System', 'ipconfig.exe'],
  'svchost.exe': ['Host Process for Windows Services', 'Microsoft® Windows® Operating System', 'svchost.exe'],
  'wmiprvse.exe': ['WMI Provider Host', 'Microsoft® Windows® Operating System', 'Wmiprvse.exe'],
  'taskmgr.exe': ['Task Manager', 'Microsoft® Windows® Operating System', 'Taskmgr.exe'],
  'notepad.exe': ['Notepad', 'Microsoft® Windows® Operating System', 'NOTEPAD.EXE'],
};

function base(image: string): string {
  return image.slice(image.lastIndexOf('\\') + 1).toLowerCase();
}

export function sysmonProcessCreate(rng: Rng, t: number, computer: string, p: Proc, parent: Proc, cwd = 'C:\\Windows\\system32\\'): Record<string, unknown> {
  const [desc, product, orig] = PE[base(p.image)] ?? ['-', '-', '-'];
  return event(SYSMON, 'Microsoft-Windows-Sysmon/Operational', 1, t, computer, {
    RuleName: '-', UtcTime: utcTime(t), ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image, FileVersion: '10.0.19041.1', Description: desc,
    Product: product, Company: product === '-' ? '-' : 'Microsoft Corporation', OriginalFileName: orig, CommandLine: p.commandLine, CurrentDirectory: cwd,
    User: p.user, LogonGuid: `{${rng.guid()}}`, LogonId: p.logonId ?? '0x3e7', TerminalSessionId: p.user.startsWith('NT AUTHORITY') ? 0 : 1,
    IntegrityLevel: p.integrity ?? 'Medium', Hashes: `SHA1=${rng.hex(40).toUpperCase()},MD5=${rng.hex(32).toUpperCase()},SHA256=${rng.hex(64).toUpperCase()},IMPHASH=${rng.hex(32).toUpperCase()}`,
    ParentProcessGuid: parent.guid, ParentProcessId: parent.pid, ParentImage: parent.image, ParentCommandLine: parent.commandLine, ParentUser: parent.user,
  }, { task: 1, userSid: 'S-1-5-18' });
}

export function sysmonNetwork(t: number, computer: string, p: Proc, srcIp: string, dstIp: string, dstPort: number, dstHost = '', protocol = 'tcp'): Record<string, unknown> {
  return event(SYSMON, 'Microsoft-Windows-Sysmon/Operational', 3, t, computer, {
    RuleName: '-', UtcTime: utcTime(t), ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image, User: p.user, Protocol: protocol, Initiated: 'true',
    SourceIsIpv6: 'false', SourceIp: srcIp, SourceHostname: computer, SourcePort: 49152 + ((t / 7) % 16000 | 0), SourcePortName: '-',
    DestinationIsIpv6: 'false', DestinationIp: dstIp, DestinationHostname: dstHost, DestinationPort: dstPort, DestinationPortName: dstPort === 443 ? 'https' : dstPort === 445 ? 'microsoft-ds' : '-',
  }, { task: 3, userSid: 'S-1-5-18' });
}

export function sysmonDns(t: number, computer: string, p: Proc, query: string, result: string): Record<string, unknown> {
  return event(SYSMON, 'Microsoft-Windows-Sysmon/Operational', 22, t, computer, {
    RuleName: '-', UtcTime: utcTime(t), ProcessGuid: p.guid, ProcessId: p.pid, QueryName: query, QueryStatus: '0', QueryResults: `::ffff:${result};`, Image: p.image, User: p.user,
  }, { task: 22, userSid: 'S-1-5-18' });
}

export function sysmonFileCreate(t: number, computer: string, p: Proc, target: string, rng: Rng): Record<string, unknown> {
  return event(SYSMON, 'Microsoft-Windows-Sysmon/Operational', 11, t, computer, {
    RuleName: '-', UtcTime: utcTime(t), ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image, TargetFilename: target, CreationUtcTime: utcTime(t - rng.int(0, 5)), User: p.user,
  }, { task: 11, userSid: 'S-1-5-18' });
}

export function sysmonProcessAccess(t: number, computer: string, src: Proc, target: Proc, grantedAccess: string, callTrace: string): Record<string, unknown> {
  return event(SYSMON, 'Microsoft-Windows-Sysmon/Operational', 10, t, computer, {
    RuleName: '-', UtcTime: utcTime(t), SourceProcessGUID: src.guid, SourceProcessId: src.pid, SourceThreadId: src.pid + 4, SourceImage: src.image,
    TargetProcessGUID: target.guid, TargetProcessId: target.pid, TargetImage: target.image, GrantedAccess: grantedAccess, CallTrace: callTrace,
    SourceUser: src.user, TargetUser: target.user,
  }, { task: 10, userSid: 'S-1-5-18' });
}

export function sysmonPipe(t: number, computer: string, p: Proc, pipe: string, created = true): Record<string, unknown> {
  return event(SYSMON, 'Microsoft-Windows-Sysmon/Operational', created ? 17 : 18, t, computer, {
    RuleName: '-', EventType: created ? 'CreatePipe' : 'ConnectPipe', UtcTime: utcTime(t), ProcessGuid: p.guid, ProcessId: p.pid, PipeName: pipe, Image: p.image, User: p.user,
  }, { task: created ? 17 : 18, userSid: 'S-1-5-18' });
}

/** Security 4624 (MS docs "4624(S): An account was successfully logged on"). */
export function logon(rng: Rng, t: number, computer: string, user: string, domain: string, logonType: number, srcIp: string, workstation: string, auth = 'Kerberos'): Record<string, unknown> {
  return event(SECURITY, 'Security', 4624, t, computer, {
    SubjectUserSid: 'S-1-5-18', SubjectUserName: `${computer.split('.')[0]}$`, SubjectDomainName: domain, SubjectLogonId: '0x3e7',
    TargetUserSid: `S-1-5-21-3623811015-3361044348-30300820-${1100 + (hash(user) % 5000)}`, TargetUserName: user, TargetDomainName: domain, TargetLogonId: `0x${rng.hex(7)}`,
    LogonType: logonType, LogonProcessName: auth === 'NTLM' ? 'NtLmSsp ' : logonType === 3 ? 'Kerberos' : 'User32 ', AuthenticationPackageName: auth === 'NTLM' ? 'NTLM' : logonType === 3 ? 'Kerberos' : 'Negotiate',
    WorkstationName: workstation, LogonGuid: `{${rng.guid()}}`, TransmittedServices: '-', LmPackageName: auth === 'NTLM' ? 'NTLM V2' : '-', KeyLength: 0,
    ProcessId: logonType === 3 ? '0x0' : '0x2c4', ProcessName: logonType === 3 ? '-' : 'C:\\Windows\\System32\\svchost.exe', IpAddress: srcIp, IpPort: logonType === 3 ? String(rng.int(49152, 65535)) : '0',
    ImpersonationLevel: '%%1833', RestrictedAdminMode: '-', TargetOutboundUserName: '-', TargetOutboundDomainName: '-', VirtualAccount: '%%1843', TargetLinkedLogonId: '0x0', ElevatedToken: '%%1842',
  }, { task: 12544, version: 2 });
}

/** System 7045 "A service was installed in the system". */
export function serviceInstalled(t: number, computer: string, serviceName: string, imagePath: string, account = 'LocalSystem'): Record<string, unknown> {
  return event(SCM, 'System', 7045, t, computer, {
    ServiceName: serviceName, ImagePath: imagePath, ServiceType: 'user mode service', StartType: 'demand start', AccountName: account,
  }, { task: 0, version: 0, level: 4, keywords: '0x8080000000000000', pid: 780, userSid: 'S-1-5-21-3623811015-3361044348-30300820-1105' });
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
