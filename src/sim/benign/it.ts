import { logon, newProc, sysmonDns, sysmonNetwork, sysmonProcessCreate, type Proc } from '../formats/windows.js';
import { DAY, MIN, end, workTime, type SimContext } from '../context.js';
import type { Host, Staff } from '../model.js';

/** Sites clinical and office staff visit, with the address they resolve to. */
const SITES: [string, string, number][] = [
  ['login.microsoftonline.com', '20.190.160.20', 10], ['outlook.office365.com', '52.96.88.146', 10], ['teams.microsoft.com', '52.113.194.132', 6],
  ['www.who.int', '104.18.20.64', 2], ['www.cdc.gov', '23.45.112.10', 2], ['pubmed.ncbi.nlm.nih.gov', '130.14.29.110', 3], ['www.uptodate.com', '199.83.131.20', 5],
  ['www.nejm.org', '104.18.4.21', 1], ['www.google.com', '142.250.185.68', 6], ['ctldl.windowsupdate.com', '93.184.221.240', 2], ['www.bbc.co.uk', '151.101.0.81', 1],
];

/**
 * Benign Windows (Sysmon + Security), DNS and proxy activity: staff log on to shared clinical
 * workstations, start the usual applications, browse a handful of sites; the file server sees
 * their network logons. Deliberately ordinary: no admin tooling that a detection rule would flag.
 */
export function generateIt(c: SimContext): void {
  const rng = c.rng;
  const { h } = c;
  const dom = h.netbios;
  const staffByWs = new Map<number, Staff[]>();
  for (const s of h.staff) if (s.status === 'active') for (const w of s.workstations) (staffByWs.get(w) ?? staffByWs.set(w, []).get(w)!).push(s);
  const sites = SITES.map(([d, ip, w]) => [[d, ip], w] as const);
  sites.push([[`portal.${h.domain}`, '198.18.10.5'], 6] as const, [[`mail.${h.domain}`, '198.18.10.6'], 4] as const);

  for (let day = c.start; day < end(c); day += DAY) {
    h.workstations.forEach((ws, idx) => {
      const users = staffByWs.get(idx) ?? [];
      if (!users.length) return;
      const explorerBoot = newProc(rng, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', 'x');
      for (let session = rng.int(1, 3); session > 0; session--) {
        const s = rng.pick(users);
        const t = workTime(rng, day);
        const user = `${dom}\\${s.user}`;
        c.out.add({ stream: 'windows', t, body: logon(rng, t, ws.fqdn, s.user, dom, rng.chance(0.7) ? 2 : 11, '127.0.0.1', ws.name) });
        // Network logon to the file server for mapped drives.
        if (rng.chance(0.6)) c.out.add({ stream: 'windows', t: t + 4000, body: logon(rng, t + 4000, h.servers.fs.fqdn, s.user, dom, 3, ws.ip, ws.name) });
        const explorer: Proc = { ...explorerBoot, user };
        const apps: [string, string][] = [
          ['C:\\Program Files\\ClinicalViewer\\ClinicalViewer.exe', '"C:\\Program Files\\ClinicalViewer\\ClinicalViewer.exe" /env=PROD'],
          ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"'],
          ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"'],
          ['C:\\Users\\' + s.user + '\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', '"C:\\Users\\' + s.user + '\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe" --process-start-reason=AutoStart'],
        ];
        let tt = t + 20_000;
        for (const [image, cmd] of rng.sample(apps, rng.int(2, 4))) {
          const p = newProc(rng, image, cmd, user);
          tt += rng.int(5, 120) * 1000;
          c.out.add({ stream: 'windows', t: tt, body: sysmonProcessCreate(rng, tt, ws.fqdn, p, explorer, `C:\\Users\\${s.user}\\`) });
          if (image.endsWith('chrome.exe') || image.endsWith('OUTLOOK.EXE')) browse(c, tt, ws, s, p, rng.int(2, 6), sites);
          if (image.endsWith('ClinicalViewer.exe')) c.out.add({ stream: 'windows', t: tt + 800, body: sysmonNetwork(tt + 800, ws.fqdn, p, ws.ip, h.servers.ehrApp.ip, 443, h.servers.ehrApp.fqdn) });
        }
      }
    });
  }
}

function browse(c: SimContext, t: number, ws: Host, s: Staff, p: Proc, n: number, sites: (readonly [readonly [string, string], number])[]): void {
  const rng = c.rng;
  let tt = t;
  for (let i = 0; i < n; i++) {
    tt += rng.int(1, 30) * MIN;
    const [domain, ip] = rng.weighted(sites);
    c.out.add({ stream: 'windows', t: tt, body: sysmonDns(tt, ws.fqdn, p, domain, ip) });
    c.out.add({ stream: 'dns', t: tt, body: dnsLog(tt, ws.ip, domain, ip) });
    c.out.add({ stream: 'proxy', t: tt + 300, body: proxyLog(tt + 300, ws.ip, s.user, 'GET', domain, `https://${domain}/`, 200, rng.int(2000, 90000)) });
  }
}

export function dnsLog(t: number, client: string, query: string, answer: string): Record<string, unknown> {
  return { timestamp: new Date(t).toISOString(), log_type: 'dns', src_ip: client, query, record_type: 'A', answer, rcode: 'NOERROR' };
}

export function proxyLog(t: number, client: string, user: string, method: string, host: string, uri: string, status: number, bytes: number, ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36'): Record<string, unknown> {
  const u = new URL(uri);
  return {
    timestamp: new Date(t).toISOString(), log_type: 'proxy', src_ip: client, 'cs-username': user, 'cs-method': method, 'cs-host': host, 'c-uri': uri,
    'c-uri-stem': u.pathname, 'c-uri-query': u.search, 'sc-status': status, 'sc-bytes': bytes, 'cs-bytes': method === 'POST' ? 900 : 450, 'c-useragent': ua,
  };
}
