/**
 * A day and a night of ordinary work at the hospital: shift logons, clinical applications, e-mail,
 * printing, backups, Group Policy refreshes, Defender updates and an administrator's routine
 * tasks. Some of it is deliberately close to attacker behaviour (Excel starting the print host,
 * Defender reading LSASS, a backup script listing shadow copies, wevtutil querying a log,
 * nltest checking the secure channel, an RDP logon from the IT jump host) so that the rule pack's
 * filters are exercised: none of this may raise an alert.
 */
import { HOSTS, type Host, type User, USERS, at } from './model.js';
import { type Estate, type Proc } from './estate.js';
import { defender, logoff, logon, scriptBlock, serviceState, tgt } from './winlogs.js';

const JUMP_HOST_IP = '10.20.1.5';
const MIN = 60_000;

interface AppSpec { image: string; cmd: string }

const CLINICAL_APPS: Record<string, AppSpec[]> = {
  [HOSTS.icu.name]: [
    { image: 'C:\\Program Files\\Ridgeview\\ClinicalViewer\\ClinicalViewer.exe', cmd: '"C:\\Program Files\\Ridgeview\\ClinicalViewer\\ClinicalViewer.exe" /ward:ICU' },
    { image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', cmd: '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" https://intranet.rvh.local/icu/rota' },
  ],
  [HOSTS.rad.name]: [
    { image: 'C:\\Program Files\\Ridgeview\\Pacs\\PacsClient.exe', cmd: '"C:\\Program Files\\Ridgeview\\Pacs\\PacsClient.exe" --worklist CT' },
    { image: 'C:\\Program Files\\Ridgeview\\ClinicalViewer\\ClinicalViewer.exe', cmd: '"C:\\Program Files\\Ridgeview\\ClinicalViewer\\ClinicalViewer.exe" /ward:RAD' },
  ],
  [HOSTS.pha.name]: [
    { image: 'C:\\Program Files\\Ridgeview\\Dispensary\\Dispensary.exe', cmd: '"C:\\Program Files\\Ridgeview\\Dispensary\\Dispensary.exe" -site main' },
    { image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', cmd: '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" https://formulary.rvh.local/' },
  ],
};

const OFFICE = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\';

/** One clinician's shift on their workstation. */
function shift(e: Estate, user: User, host: Host, start: number, end: number): void {
  const dc = HOSTS.dc;
  tgt(e, start - 2000, dc, user, host.ip);
  const logonId = logon(e, start, host, user, 2, host.ip);
  const winlogon = e.root(host, 'C:\\Windows\\System32\\winlogon.exe', 'SYSTEM');
  const explorer = e.spawn(start + 4000, winlogon, { image: 'C:\\Windows\\explorer.exe', cmd: 'C:\\Windows\\Explorer.EXE', user });
  const apps = CLINICAL_APPS[host.name];
  let outlook: Proc | undefined;
  for (let t = start + 60_000; t < end - 10 * MIN; t += e.rng.int(9, 22) * MIN) {
    const roll = e.rng.next();
    if (roll < 0.45) {
      const app = e.rng.pick(apps);
      const p = e.spawn(t, explorer, { image: app.image, cmd: app.cmd, cwd: app.image.slice(0, app.image.lastIndexOf('\\') + 1) });
      if (app.image.endsWith('chrome.exe')) {
        e.pipe(t + 800, p, `\\mojo.${p.pid}.${e.rng.int(1000, 9999)}.${e.rng.int(1e8, 9e8)}${e.rng.int(1e8, 9e8)}`);
        e.connect(t + 1200, p, '10.20.0.80', 443);
      }
      // clinical client talks to the EHR application server
      else e.connect(t + 1500, p, '10.20.0.60', 8443);
    } else if (roll < 0.6) {
      outlook ??= e.spawn(t, explorer, { image: `${OFFICE}OUTLOOK.EXE`, cmd: `"${OFFICE}OUTLOOK.EXE" ` });
      e.connect(t + 2000, outlook, '10.20.0.25', 443);
    } else if (roll < 0.75) {
      const doc = e.rng.pick(['Handover_notes.docx', 'Rota_week11.docx', 'Incident_form.docx']);
      const w = e.spawn(t, explorer, { image: `${OFFICE}WINWORD.EXE`, cmd: `"${OFFICE}WINWORD.EXE" /n "\\\\RVH-FS01\\Departments\\Shared\\${doc}" /o ""` });
      e.fileCreate(t + 3000, w, `C:\\Users\\${user.name}\\AppData\\Roaming\\Microsoft\\Word\\~WRL${e.rng.int(1000, 9999)}.tmp`);
    } else if (roll < 0.85) {
      // Printing from Excel starts splwow64.exe: an Office child process that is not a shell.
      const x = e.spawn(t, explorer, { image: `${OFFICE}EXCEL.EXE`, cmd: `"${OFFICE}EXCEL.EXE" "\\\\RVH-FS01\\Departments\\Pharmacy\\stock_${e.rng.int(10, 30)}.xlsx"` });
      e.spawn(t + 45_000, x, { image: 'C:\\Windows\\splwow64.exe', cmd: 'C:\\Windows\\splwow64.exe 8192' });
    } else {
      // mapped department share: Kerberos network logon on the file server
      logon(e, t, HOSTS.fs, user, 3, host.ip);
    }
  }
  logoff(e, end, host, user, logonId, 2);
}

/** Background activity every Windows host has, clinician or not. */
function background(e: Estate, host: Host, from: number, to: number): void {
  const services = e.root(host, 'C:\\Windows\\System32\\services.exe', 'SYSTEM');
  const svchost = e.spawn(from + 1000, services, { image: 'C:\\Windows\\System32\\svchost.exe', cmd: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', user: 'SYSTEM' });
  const msmpeng = e.spawn(from + 2000, services, { image: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\MsMpEng.exe', cmd: '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\MsMpEng.exe"', user: 'SYSTEM' });
  const lsass = e.root(host, 'C:\\Windows\\system32\\lsass.exe', 'SYSTEM');
  const machine: User = { name: `${host.name}$`, sid: `S-1-5-21-2718281828-3141592653-1618033988-${2000 + host.ip.split('.').reduce((a, b) => a + Number(b), 0)}` };
  for (let t = from + 30 * MIN; t < to; t += e.rng.int(80, 100) * MIN) {
    e.spawn(t, svchost, { image: 'C:\\Windows\\System32\\gpupdate.exe', cmd: 'gpupdate.exe /target:computer', user: 'SYSTEM' });
    // the Group Policy refresh authenticates the machine account to the domain controller
    if (host.role !== 'dc') {
      tgt(e, t + 400, HOSTS.dc, machine, host.ip);
      const id = logon(e, t + 900, HOSTS.dc, machine, 3, host.ip);
      logoff(e, t + 4200, HOSTS.dc, machine, id, 3);
    }
    e.spawn(t + 5 * MIN, svchost, { image: 'C:\\Windows\\System32\\taskhostw.exe', cmd: 'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly', user: 'SYSTEM' });
  }
  for (let t = from + 50 * MIN; t < to; t += e.rng.int(200, 260) * MIN) {
    defender(e, t, host, 2000);
    e.regSet(t + 500, msmpeng, 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignaturesLastUpdated', `QWORD (0x01dc${e.rng.hex(4)}-0x${e.rng.hex(8)})`);
  }
  // Defender's scheduled quick scan reads LSASS memory: the rule's Defender filter must hold.
  const scan = from + e.rng.int(11, 13) * 60 * MIN;
  defender(e, scan, host, 1000);
  e.access(scan + 40_000, msmpeng, lsass, '0x1410', 'C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\mpengine.dll+4a1f2c');
  defender(e, scan + 8 * MIN, host, 1001);
  serviceState(e, from + 3 * MIN, host, 'Windows Update', 'running');
  serviceState(e, from + 40 * MIN, host, 'Windows Update', 'stopped');
}

/** The IT administrator's routine: RDP from the jump host, harmless diagnostics. */
function adminDay(e: Estate, day: number): void {
  const admin = USERS.admin;
  const dc = HOSTS.dc;
  tgt(e, day + 9 * 60 * MIN, dc, admin, JUMP_HOST_IP);
  logon(e, day + 9 * 60 * MIN + 3000, dc, admin, 10, JUMP_HOST_IP);
  const ex = e.root(dc, 'C:\\Windows\\explorer.exe', admin);
  const cmd = e.spawn(day + 9 * 60 * MIN + 60_000, ex, { image: 'C:\\Windows\\System32\\cmd.exe', cmd: '"C:\\Windows\\system32\\cmd.exe" ', integrity: 'High' });
  const steps = [
    // secure-channel check: nltest, but not a DC or trust listing
    ['C:\\Windows\\System32\\nltest.exe', 'nltest /sc_query:rvh.local'],
    ['C:\\Windows\\System32\\repadmin.exe', 'repadmin /replsummary'],
    // one user's account, not a privileged group listing
    ['C:\\Windows\\System32\\net.exe', 'net user n.okafor /domain'],
    // querying, not clearing, the System log
    ['C:\\Windows\\System32\\wevtutil.exe', 'wevtutil qe System /c:20 /rd:true /f:text'],
  ] as const;
  steps.forEach(([image, cmdline], i) => e.spawn(day + 9 * 60 * MIN + (i + 2) * 90_000, cmd, { image, cmd: cmdline, integrity: 'High' }));
  // 16:40: printer driver fix on the ICU nurse station over RDP. The admin's credentials stay in
  // that machine's LSASS, which is what the intruder later dumps.
  const icu = HOSTS.icu;
  tgt(e, day + 16 * 60 * MIN + 40 * MIN - 1500, dc, admin, JUMP_HOST_IP);
  const lid = logon(e, day + 16 * 60 * MIN + 40 * MIN, icu, admin, 10, JUMP_HOST_IP);
  const icuEx = e.root(icu, 'C:\\Windows\\explorer.exe', admin);
  e.spawn(day + 16 * 60 * MIN + 42 * MIN, icuEx, { image: 'C:\\Windows\\System32\\printui.exe', cmd: 'printui.exe /s /t2', integrity: 'High' });
  logoff(e, day + 17 * 60 * MIN + 5 * MIN, icu, admin, lid, 10);
}

/** The nightly backup job on the file server, run by the backup service account. */
function nightlyBackup(e: Estate, t: number): void {
  const fs = HOSTS.fs;
  const backup = USERS.backup;
  logon(e, t - 2000, fs, backup, 5, fs.ip);
  const svc = e.root(fs, 'C:\\Program Files\\Ridgeview\\BackupAgent\\rvbackup.exe', backup);
  const ps = e.spawn(t, svc, { image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', cmd: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "C:\\Program Files\\Ridgeview\\BackupAgent\\pre-backup.ps1"' });
  scriptBlock(e, t + 2000, fs, backup.sid, "# pre-backup checks\n$shadows = Get-WmiObject Win32_ShadowCopy | Select-Object ID, InstallDate, VolumeName\n$shadows | Export-Csv -NoTypeInformation 'D:\\Backup\\logs\\shadows.csv'", 'C:\\Program Files\\Ridgeview\\BackupAgent\\pre-backup.ps1');
  e.spawn(t + 5000, ps, { image: 'C:\\Windows\\System32\\vssadmin.exe', cmd: 'vssadmin list shadows /for=D:' });
  e.spawn(t + 30_000, ps, { image: 'C:\\Windows\\System32\\wbadmin.exe', cmd: 'wbadmin start backup -backupTarget:\\\\RVH-BK01\\fs01 -include:D: -vssCopy -quiet' });
  for (let i = 0; i < 6; i++) e.fileCreate(t + 60_000 + i * 7000, svc, `D:\\Backup\\logs\\rvbackup_${20260313}_${i}.log`);
}

export function benignActivity(e: Estate): void {
  const day = at('2026-03-13T00:00:00Z');
  const from = at('2026-03-13T06:30:00Z');
  const to = at('2026-03-14T05:00:00Z');
  for (const h of Object.values(HOSTS)) background(e, h, from, to);
  shift(e, USERS.radiologist, HOSTS.rad, at('2026-03-13T07:04:12Z'), at('2026-03-13T18:52:40Z'));
  shift(e, USERS.pharmacist, HOSTS.pha, at('2026-03-13T07:31:55Z'), at('2026-03-13T19:10:03Z'));
  // the ICU nurse works nights; the intrusion starts during her shift
  shift(e, USERS.nurse, HOSTS.icu, at('2026-03-13T19:02:31Z'), at('2026-03-14T04:58:00Z'));
  adminDay(e, day);
  nightlyBackup(e, at('2026-03-13T23:00:05Z'));
  // RDP to the radiology PC from the IT jump host (internal address: not an external logon)
  tgt(e, at('2026-03-13T13:20:00Z'), HOSTS.dc, USERS.admin, JUMP_HOST_IP);
  logon(e, at('2026-03-13T13:20:02Z'), HOSTS.rad, USERS.admin, 10, JUMP_HOST_IP);
  // a radiology worklist refresh script (PowerShell, not encoded)
  const radEx = e.root(HOSTS.rad, 'C:\\Windows\\explorer.exe', USERS.radiologist);
  e.spawn(at('2026-03-13T08:00:00Z'), radEx, { image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', cmd: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "C:\\Program Files\\Ridgeview\\Pacs\\refresh-worklist.ps1"' });
  scriptBlock(e, at('2026-03-13T08:00:02Z'), HOSTS.rad, USERS.radiologist.sid, "$wl = Invoke-RestMethod -Uri 'https://pacs.rvh.local/api/worklist?modality=CT' -UseDefaultCredentials\n$wl | ConvertTo-Json | Set-Content \"$env:LOCALAPPDATA\\Pacs\\worklist.json\"", 'C:\\Program Files\\Ridgeview\\Pacs\\refresh-worklist.ps1');
}
