import { logon, newProc, serviceInstalled, sysmonProcessCreate } from '../formats/windows.js';
import { DAY, HOUR, MIN, end, workTime, type SimContext } from '../context.js';

/**
 * Benign administration that looks like parts of an intrusion — the noise a real rule pack must
 * stay quiet on: the configuration-management client running encoded PowerShell, IT staff
 * checking domain controllers and shadow copies, nightly backups, a signed agent update installing
 * a service, and an administrator's interactive PsExec session to a server during a change window.
 */
export function generateAdmin(c: SimContext): void {
  const rng = c.rng;
  const { h } = c;
  const it = h.staff.filter((s) => s.role === 'it-admin' && s.status === 'active');
  const itWs = h.workstations.filter((w) => w.dept === 'IT');
  const servers = Object.values(h.servers);
  const system = 'NT AUTHORITY\\SYSTEM';
  for (let day = c.start; day < end(c); day += DAY) {
    // Configuration management: inventory scripts as -EncodedCommand under CcmExec, on a sample of PCs.
    const ccm = newProc(rng, 'C:\\Windows\\CCM\\CcmExec.exe', 'C:\\Windows\\CCM\\CcmExec.exe', system, 'System');
    for (const ws of rng.sample(h.workstations, Math.max(2, Math.round(h.workstations.length * 0.1)))) {
      const t = day + rng.int(6, 20) * HOUR + rng.int(0, 59) * MIN;
      const script = 'Get-CimInstance -ClassName Win32_QuickFixEngineering | Select-Object HotFixID,InstalledOn | ConvertTo-Json';
      const p = newProc(rng, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoLogo -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ${Buffer.from(script, 'utf16le').toString('base64')}`, system, 'System');
      c.out.add({ stream: 'windows', t, body: sysmonProcessCreate(rng, t, ws.fqdn, p, ccm, 'C:\\Windows\\CCM\\') });
    }
    if (!it.length || !itWs.length) continue;
    const admin = rng.pick(it);
    const ws = rng.pick(itWs);
    const user = `${h.netbios}\\${admin.user}`;
    const explorer = newProc(rng, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', user);
    const shell = newProc(rng, 'C:\\Windows\\System32\\cmd.exe', '"C:\\Windows\\system32\\cmd.exe"', user);
    let t = workTime(rng, day);
    c.out.add({ stream: 'windows', t, body: sysmonProcessCreate(rng, t, ws.fqdn, shell, explorer, `C:\\Users\\${admin.user}\\`) });
    for (const [image, cl] of [
      ['C:\\Windows\\System32\\nltest.exe', `nltest /dsgetdc:${h.adDomain}`],
      ['C:\\Windows\\System32\\ipconfig.exe', 'ipconfig /all'],
      ['C:\\Windows\\System32\\gpupdate.exe', 'gpupdate /force'],
    ] as const) {
      if (!rng.chance(0.5)) continue;
      t += rng.int(20, 300) * 1000;
      c.out.add({ stream: 'windows', t, body: sysmonProcessCreate(rng, t, ws.fqdn, newProc(rng, image, cl, user), shell, `C:\\Users\\${admin.user}\\`) });
    }
    // Nightly backup on the file server: lists shadow copies, runs the backup (never deletes).
    const fs = h.servers.fs;
    const bt = day + 1 * HOUR + rng.int(0, 20) * MIN;
    const agent = newProc(rng, 'C:\\Program Files\\Backup Agent\\agent.exe', '"C:\\Program Files\\Backup Agent\\agent.exe" --service', system, 'System');
    c.out.add({ stream: 'windows', t: bt, body: sysmonProcessCreate(rng, bt, fs.fqdn, newProc(rng, 'C:\\Windows\\System32\\vssadmin.exe', 'vssadmin list shadows /for=D:', system, 'System'), agent) });
    c.out.add({ stream: 'windows', t: bt + 5000, body: sysmonProcessCreate(rng, bt + 5000, fs.fqdn, newProc(rng, 'C:\\Windows\\System32\\wbadmin.exe', 'wbadmin start backup -backupTarget:\\\\bkp01\\fs01 -include:D: -vssCopy -quiet', system, 'System'), agent) });
    // Weekly: endpoint agent update installs its service on each server.
    if ((day - c.start) / DAY === 2) {
      for (const srv of servers) {
        const tu = day + 3 * HOUR + rng.int(0, 50) * MIN;
        c.out.add({ stream: 'windows', t: tu, body: serviceInstalled(tu, srv.fqdn, 'EndpointAgentUpdater', '"C:\\Program Files\\Endpoint Agent\\updater.exe" --service') });
      }
    }
    // Change window: the administrator logs on to a server interactively over RDP.
    if (rng.chance(0.4)) {
      const srv = rng.pick(servers);
      const tr = day + 19 * HOUR + rng.int(0, 60) * MIN;
      c.out.add({ stream: 'windows', t: tr, body: logon(rng, tr, srv.fqdn, admin.user, h.netbios, 10, ws.ip, ws.name) });
    }
  }
}
