import { newProc, sysmonDns, sysmonProcessCreate } from '../formats/windows.js';
import { fhirAuditEvent } from '../formats/health.js';
import { dnsLog, proxyLog } from '../benign/it.js';
import { recordAccess } from '../benign/access.js';
import { DAY, HOUR, MIN, type SimContext } from '../context.js';
import type { Label } from '../out.js';

export const PHISHING_STAGES = ['lure-click', 'credential-harvest', 'credential-use'] as const;

/** Lookalikes of the WHO: pandemic-era lures (the WHO itself warned of them in 2020). */
const WHO_LOOKALIKES = ['who-covid19-staffupdate.com', 'covid19-who-int.org', 'who-int.health-alerts.net'];

/**
 * Scenario 2: credential phishing. Staff follow a link to a WHO-lookalike "COVID-19 staff
 * guidance" page, two of them enter their credentials, and the attacker uses one account from
 * the internet to read patient records through the FHIR API and the web EHR.
 */
export function phishing(c: SimContext, dayIndex: number): void {
  const rng = c.rng;
  const { h } = c;
  const domain = rng.pick(WHO_LOOKALIKES);
  const ip = '203.0.113.23';
  const day = c.start + Math.min(dayIndex, c.days - 1) * DAY;
  const victims = rng.sample(h.staff.filter((s) => s.status === 'active' && (s.role === 'nurse' || s.role === 'physician')), 4);
  const L = (stage: string, user: string, host?: string): Label => ({ scenario: 'credential-phishing', scenarioId: 2, stage, actor: user, host });
  victims.forEach((v, i) => {
    const ws = h.workstations[v.workstations[0]];
    const t = day + 10 * HOUR + i * rng.int(5, 25) * MIN;
    const user = `${h.netbios}\\${v.user}`;
    const outlook = newProc(rng, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"', user);
    const chrome = newProc(rng, 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', `"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --single-argument https://${domain}/covid19/staff-guidance?id=${rng.hex(10)}`, user);
    c.out.add({ stream: 'windows', t, body: sysmonProcessCreate(rng, t, ws.fqdn, chrome, outlook, `C:\\Users\\${v.user}\\`), label: L('lure-click', v.user, ws.name) });
    c.out.add({ stream: 'windows', t: t + 300, body: sysmonDns(t + 300, ws.fqdn, chrome, domain, '203.0.113.24'), label: L('lure-click', v.user, ws.name) });
    c.out.add({ stream: 'dns', t: t + 300, body: dnsLog(t + 300, ws.ip, domain, '203.0.113.24'), label: L('lure-click', v.user, ws.name) });
    c.out.add({ stream: 'proxy', t: t + 900, body: proxyLog(t + 900, ws.ip, v.user, 'GET', domain, `https://${domain}/covid19/staff-guidance?id=${rng.hex(10)}`, 200, 18211), label: L('lure-click', v.user, ws.name) });
    if (i < 2) {
      const tp = t + rng.int(40, 160) * 1000;
      c.out.add({ stream: 'proxy', t: tp, body: proxyLog(tp, ws.ip, v.user, 'POST', domain, `https://${domain}/office365/login.php`, 302, 512), label: L('credential-harvest', v.user, ws.name) });
    }
  });

  // The attacker signs in as the first victim from the internet the next day and browses records.
  const v = victims[0];
  let t = day + DAY + 2 * HOUR + rng.int(0, 120) * MIN;
  if (t >= c.start + c.days * DAY) t = day + 20 * HOUR;
  c.out.add({ stream: 'fhir', t, body: fhirAuditEvent(rng, { t, interaction: 'login', user: v.user, userName: `${v.given} ${v.family}`, agentType: 'humanuser', address: ip, client: 'ClinicalViewer', observer: h.servers.fhir.fqdn }), label: L('credential-use', v.user) });
  const targets = rng.sample(h.patients, 45);
  for (const p of targets) {
    t += rng.int(15, 70) * 1000;
    recordAccess(c, t, v, p, { action: rng.pick(['Chart Review', 'Results Review', 'Print']), fhir: rng.chance(0.6), ip, workstation: 'WEB-EXTERNAL', label: { ...L('credential-use', v.user), victim: p.mrn } });
  }
}
