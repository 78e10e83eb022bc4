/**
 * Windows event-log records other than Sysmon: Security auditing, System (Service Control
 * Manager, Event Log service), PowerShell script block logging and Microsoft Defender. Field names
 * and values follow what each provider writes (event schemas as rendered by wevtutil / evtx_dump).
 */
import { DOMAIN, SYSTEM_SID, type Host, type User } from './model.js';
import { DEFENDER, EVENTLOG, type Estate, POWERSHELL, SCM, SECURITY } from './estate.js';

const LOGON_TYPE_NAME: Record<number, string> = { 2: 'Interactive', 3: 'Network', 5: 'Service', 10: 'RemoteInteractive' };

/** Security 4624 "An account was successfully logged on". */
export function logon(e: Estate, t: number, host: Host, user: User, type: 2 | 3 | 5 | 10, ip: string, auth: 'Kerberos' | 'NTLM' | 'Negotiate' = 'Kerberos'): string {
  const logonId = `0x${e.rng.hex(8)}`;
  const interactive = type === 2 || type === 10;
  e.emit({
    t, host, channel: 'Security', provider: SECURITY, id: 4624, version: 2, level: 0, task: 12544,
    keywords: '0x8020000000000000', userSid: null,
    data: {
      SubjectUserSid: interactive ? SYSTEM_SID : 'S-1-0-0',
      SubjectUserName: interactive ? `${host.name}$` : '-',
      SubjectDomainName: interactive ? DOMAIN : '-',
      SubjectLogonId: interactive ? '0x3e7' : '0x0',
      TargetUserSid: user.sid,
      TargetUserName: user.name,
      TargetDomainName: DOMAIN,
      TargetLogonId: logonId,
      LogonType: String(type),
      LogonProcessName: auth === 'NTLM' ? 'NtLmSsp ' : interactive ? 'User32 ' : 'Kerberos',
      AuthenticationPackageName: auth,
      WorkstationName: ip === host.ip ? host.name : '-',
      LogonGuid: e.rng.guid(),
      TransmittedServices: '-',
      LmPackageName: auth === 'NTLM' ? 'NTLM V2' : '-',
      KeyLength: '0',
      ProcessId: interactive ? `0x${e.rng.hex(3)}` : '0x0',
      ProcessName: interactive ? 'C:\\Windows\\System32\\svchost.exe' : '-',
      IpAddress: ip,
      IpPort: type === 2 ? '0' : String(e.rng.int(49152, 65000)),
      ImpersonationLevel: '%%1833',
      RestrictedAdminMode: type === 10 ? '%%1843' : '-',
      VirtualAccount: '%%1843',
      ElevatedToken: user.name.startsWith('adm.') ? '%%1842' : '%%1843',
    },
    message: `An account was successfully logged on. Logon Type: ${type} (${LOGON_TYPE_NAME[type]}) Account: ${DOMAIN}\\${user.name} Source: ${ip}`,
    ecs: { category: ['authentication'], type: ['start'], action: 'logged-in', outcome: 'success' },
  });
  return logonId;
}

/** Security 4634 "An account was logged off". */
export function logoff(e: Estate, t: number, host: Host, user: User, logonId: string, type: number): void {
  e.emit({
    t, host, channel: 'Security', provider: SECURITY, id: 4634, level: 0, task: 12545, keywords: '0x8020000000000000', userSid: null,
    data: { TargetUserSid: user.sid, TargetUserName: user.name, TargetDomainName: DOMAIN, TargetLogonId: logonId, LogonType: String(type) },
    message: `An account was logged off. Account: ${DOMAIN}\\${user.name}`,
    ecs: { category: ['authentication'], type: ['end'], action: 'logged-out', outcome: 'success' },
  });
}

/** Security 4768 on the DC "A Kerberos authentication ticket (TGT) was requested". */
export function tgt(e: Estate, t: number, dc: Host, user: User, clientIp: string): void {
  e.emit({
    t, host: dc, channel: 'Security', provider: SECURITY, id: 4768, level: 0, task: 14339, keywords: '0x8020000000000000', userSid: null,
    data: {
      TargetUserName: user.name, TargetDomainName: 'RVH.LOCAL', TargetSid: user.sid, ServiceName: 'krbtgt',
      ServiceSid: 'S-1-5-21-2718281828-3141592653-1618033988-502', TicketOptions: '0x40810010', Status: '0x0',
      TicketEncryptionType: '0x12', PreAuthType: '2', IpAddress: `::ffff:${clientIp}`, IpPort: String(e.rng.int(49152, 65000)),
    },
    message: `A Kerberos authentication ticket (TGT) was requested. Account: ${user.name}`,
    ecs: { category: ['authentication'], type: ['start'], action: 'kerberos-authentication-ticket-requested', outcome: 'success' },
  });
}

/** System 7045 "A service was installed in the system". */
export function serviceInstalled(e: Estate, t: number, host: Host, name: string, imagePath: string, account = 'LocalSystem'): void {
  e.emit({
    t, host, channel: 'System', provider: SCM, id: 7045, keywords: '0x8080000000000000', userSid: SYSTEM_SID,
    data: { ServiceName: name, ImagePath: imagePath, ServiceType: 'user mode service', StartType: 'demand start', AccountName: account },
    message: `A service was installed in the system. Service Name: ${name} Service File Name: ${imagePath}`,
    ecs: { category: ['configuration'], type: ['creation'], action: 'service-installed' },
  });
}

/** System 7036 "The X service entered the Y state". */
export function serviceState(e: Estate, t: number, host: Host, display: string, state: 'running' | 'stopped'): void {
  e.emit({
    t, host, channel: 'System', provider: SCM, id: 7036, keywords: '0x8080000000000000', userSid: null,
    data: { param1: display, param2: state, Binary: '' },
    message: `The ${display} service entered the ${state} state.`,
  });
}

/** Security 1102 "The audit log was cleared" (UserData/LogFileCleared). */
export function securityLogCleared(e: Estate, t: number, host: Host, user: User): void {
  e.emit({
    t, host, channel: 'Security', provider: EVENTLOG, id: 1102, task: 104, keywords: '0x4020000000000000', userSid: null,
    userData: { root: 'LogFileCleared', fields: { SubjectUserSid: user.sid, SubjectUserName: user.name, SubjectDomainName: DOMAIN, SubjectLogonId: `0x${e.rng.hex(6)}` } },
    message: `The audit log was cleared. Subject: ${DOMAIN}\\${user.name}`,
    ecs: { category: ['iam'], type: ['admin'], action: 'audit-log-cleared' },
  });
}

/** System 104 "The X log file was cleared" (UserData/LogFileCleared). */
export function systemLogCleared(e: Estate, t: number, host: Host, user: User, channel: string): void {
  e.emit({
    t, host, channel: 'System', provider: EVENTLOG, id: 104, task: 104, userSid: user.sid,
    userData: { root: 'LogFileCleared', fields: { SubjectUserName: user.name, SubjectDomainName: DOMAIN, Channel: channel, BackupPath: null } },
    message: `The ${channel} log file was cleared.`,
    ecs: { category: ['iam'], type: ['admin'], action: 'log-cleared' },
  });
}

/** PowerShell/Operational 4104 "Creating Scriptblock text". */
export function scriptBlock(e: Estate, t: number, host: Host, userSid: string, text: string, path = ''): void {
  e.emit({
    t, host, channel: 'Microsoft-Windows-PowerShell/Operational', provider: POWERSHELL, id: 4104, version: 1, level: 5,
    task: 2, opcode: 15, keywords: '0x0000000000000000', userSid,
    data: { MessageNumber: '1', MessageTotal: '1', ScriptBlockText: text, ScriptBlockId: e.rng.guid().slice(1, -1).toLowerCase(), Path: path },
    message: `Creating Scriptblock text (1 of 1): ${text.split('\n')[0]}`,
    ecs: { category: ['process'], type: ['info'], action: 'Execute a Remote Command' },
  });
}

/** Defender/Operational events: 5001 (real-time protection disabled), 1000/1001 (scan), 2000 (update). */
export function defender(e: Estate, t: number, host: Host, id: 5001 | 1000 | 1001 | 2000): void {
  const msg: Record<number, string> = {
    5001: 'Microsoft Defender Antivirus Real-time Protection scanning for malware and other potentially unwanted software was disabled.',
    1000: 'Microsoft Defender Antivirus scan has started.',
    1001: 'Microsoft Defender Antivirus scan has finished.',
    2000: 'Microsoft Defender Antivirus security intelligence version updated.',
  };
  const data: Record<string, string> = { 'Product Name': 'Microsoft Defender Antivirus', 'Product Version': '4.18.25010.11' };
  if (id === 1000 || id === 1001) Object.assign(data, { 'Scan ID': e.rng.guid(), 'Scan Type': 'Antimalware', 'Scan Parameters': 'Quick Scan', User: 'NT AUTHORITY\\SYSTEM' });
  if (id === 2000) Object.assign(data, { 'Current security intelligence Version': `1.425.${e.rng.int(100, 400)}.0`, 'Security intelligence Type': 'AntiVirus', 'Update Type': 'Delta' });
  e.emit({
    t, host, channel: 'Microsoft-Windows-Windows Defender/Operational', provider: DEFENDER, id, level: id === 5001 ? 3 : 4,
    userSid: SYSTEM_SID, data, message: msg[id],
  });
}

