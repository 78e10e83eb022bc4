import type { WardEvent } from '../normalize/index.js';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const isAddr = (v: unknown): v is string =>
  typeof v === 'string' && (IPV4.test(v) || (v.includes(':') && /^[0-9a-f:.]+$/i.test(v))) && !/^(127\.|::1$|0\.0\.0\.0|-)/.test(v);

/**
 * The (address, host) pairs an event proves (see HostDirectory), or undefined. Plain data, so a
 * detection thread can find them and the thread owning the directory record them in event order.
 */
export function addressFacts(ev: WardEvent): [ip: string, host: string][] | undefined {
  let out: [string, string][] | undefined;
  const id = ev.fields.EventID;
  if (id === 4624 || id === 4768 || id === 4769 || id === 4776) {
    const account = ev.get('TargetUserName');
    const ip = ev.get('IpAddress');
    if (typeof account === 'string' && account.endsWith('$') && isAddr(ip)) (out ??= []).push([ip.replace(/^::ffff:/, ''), account.slice(0, -1)]);
  } else if (id === 3 && ev.host) {
    const init = ev.get('Initiated');
    const ip = ev.get('SourceIp');
    if ((init === true || init === 'true') && isAddr(ip)) (out ??= []).push([ip, ev.host]);
  }
  if (ev.host && ev.layout === 'ecs') {
    const ips = ev.get('host.ip');
    for (const ip of Array.isArray(ips) ? ips : [ips]) if (isAddr(ip)) (out ??= []).push([ip, ev.host]);
  }
  return out;
}

/**
 * Which machine an IP address belongs to, learnt from the events themselves, so that an alert on
 * one host naming only an address ("network logon from 10.20.14.33") can be tied to the incident
 * of the host behind it. Sources, all cheap to test:
 *   - Windows logons and Kerberos requests by a machine account (`NAME$`, MS docs for 4624/4768/
 *     4769/4776) carry that machine's address in IpAddress;
 *   - Sysmon event 3 with Initiated=true: SourceIp is the logging host's own address;
 *   - ECS `host.ip`: the logging host's addresses.
 * Bounded: the oldest entries are forgotten past `max`.
 */
export class HostDirectory {
  private readonly byIp = new Map<string, string>();
  constructor(private readonly max = 100_000) {}

  learn(ev: WardEvent): void {
    const facts = addressFacts(ev);
    if (facts) for (const [ip, host] of facts) this.set(ip, host);
  }

  /** The host name (lower-case, first label) behind an address, if seen. */
  resolve(ip: string): string | undefined {
    return this.byIp.get(ip);
  }

  /** Records that `ip` belongs to `host` (a fact found by `addressFacts`, possibly in another thread). */
  set(ip: string, host: string): void {
    const h = host.toLowerCase().split('.')[0];
    if (this.byIp.get(ip) === h) return;
    this.byIp.delete(ip);
    this.byIp.set(ip, h);
    if (this.byIp.size > this.max) this.byIp.delete(this.byIp.keys().next().value!);
  }
}
