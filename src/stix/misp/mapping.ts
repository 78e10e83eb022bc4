import { parseCidr } from '../pattern/ip.js';

/**
 * MISP attribute types ↔ STIX object paths (after the MISP–STIX conversion conventions of the
 * MISP project's misp-stix documentation). Composite types (`filename|md5`) list one path per
 * `|`-separated part. `ip` stands for ipv4-addr:value or ipv6-addr:value, chosen by the value.
 */
export const MISP_TYPE_PATHS: Readonly<Record<string, readonly string[]>> = {
  md5: ['file:hashes.MD5'],
  sha1: ["file:hashes.'SHA-1'"],
  sha224: ["file:hashes.'SHA-224'"],
  sha256: ["file:hashes.'SHA-256'"],
  sha384: ["file:hashes.'SHA-384'"],
  sha512: ["file:hashes.'SHA-512'"],
  'sha3-256': ["file:hashes.'SHA3-256'"],
  'sha3-512': ["file:hashes.'SHA3-512'"],
  ssdeep: ['file:hashes.SSDEEP'],
  tlsh: ['file:hashes.TLSH'],
  imphash: ['file:extensions.\'windows-pebinary-ext\'.imphash'],
  filename: ['file:name'],
  'filename|md5': ['file:name', 'file:hashes.MD5'],
  'filename|sha1': ['file:name', "file:hashes.'SHA-1'"],
  'filename|sha256': ['file:name', "file:hashes.'SHA-256'"],
  'filename|sha512': ['file:name', "file:hashes.'SHA-512'"],
  'ip-src': ['ip'],
  'ip-dst': ['ip'],
  'ip-src|port': ['ip', 'network-traffic:src_port'],
  'ip-dst|port': ['ip', 'network-traffic:dst_port'],
  domain: ['domain-name:value'],
  hostname: ['domain-name:value'],
  'domain|ip': ['domain-name:value', 'ip'],
  'hostname|port': ['domain-name:value', 'network-traffic:dst_port'],
  url: ['url:value'],
  uri: ['url:value'],
  link: ['url:value'],
  email: ['email-addr:value'],
  'email-src': ['email-addr:value'],
  'email-dst': ['email-addr:value'],
  'email-subject': ['email-message:subject'],
  'email-reply-to': ["email-message:additional_header_fields.'Reply-To'"],
  'email-x-mailer': ["email-message:additional_header_fields.'X-Mailer'"],
  mutex: ['mutex:name'],
  regkey: ['windows-registry-key:key'],
  'regkey|value': ['windows-registry-key:key', 'windows-registry-key:values[*].data'],
  AS: ['autonomous-system:number'],
  'mac-address': ['mac-addr:value'],
  'user-agent': ["network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'"],
  'x509-fingerprint-sha1': ["x509-certificate:hashes.'SHA-1'"],
  'x509-fingerprint-sha256': ["x509-certificate:hashes.'SHA-256'"],
  'x509-fingerprint-md5': ["x509-certificate:hashes.MD5"],
  'target-user': ['user-account:account_login'],
  'github-username': ['user-account:account_login'],
  'process-state': ['process:x_misp_state'],
  'port': ['network-traffic:dst_port'],
};

/** STIX path → MISP type, for exporting indicators that did not come from MISP. */
export const PATH_TO_MISP_TYPE: Readonly<Record<string, string>> = {
  'file:hashes.MD5': 'md5',
  "file:hashes.'SHA-1'": 'sha1',
  "file:hashes.'SHA-256'": 'sha256',
  "file:hashes.'SHA-512'": 'sha512',
  'file:hashes.SSDEEP': 'ssdeep',
  'file:name': 'filename',
  'ipv4-addr:value': 'ip-dst',
  'ipv6-addr:value': 'ip-dst',
  'domain-name:value': 'domain',
  'url:value': 'url',
  'email-addr:value': 'email',
  'email-message:subject': 'email-subject',
  'mutex:name': 'mutex',
  'windows-registry-key:key': 'regkey',
  'autonomous-system:number': 'AS',
  'mac-addr:value': 'mac-address',
  'user-account:account_login': 'target-user',
  "x509-certificate:hashes.'SHA-1'": 'x509-fingerprint-sha1',
  'network-traffic:dst_port': 'port',
};

/** Default MISP category of a type when a STIX object does not carry x_misp_category. */
export function defaultCategory(type: string): string {
  if (/^(md5|sha|ssdeep|tlsh|imphash|filename)/.test(type)) return 'Payload delivery';
  if (/^(ip-|domain|hostname|url|uri|user-agent|AS|mac-address|port|x509)/.test(type)) return 'Network activity';
  if (/^email/.test(type)) return 'Payload delivery';
  if (/^(mutex|regkey|process)/.test(type)) return 'Artifacts dropped';
  if (type === 'link') return 'External analysis';
  return 'Other';
}

export function ipPath(value: string): string | undefined {
  const c = parseCidr(value);
  return c ? (c.version === 4 ? 'ipv4-addr:value' : 'ipv6-addr:value') : undefined;
}

/** Paths of an attribute's parts, or undefined when the type (or value) has no STIX mapping. */
export function attributePaths(type: string, value: string): { path: string; value: string }[] | undefined {
  const paths = MISP_TYPE_PATHS[type];
  if (!paths) return undefined;
  const parts = paths.length === 1 ? [value] : splitComposite(value, paths.length);
  if (!parts) return undefined;
  const out: { path: string; value: string }[] = [];
  for (let i = 0; i < paths.length; i++) {
    let p = paths[i];
    if (p === 'ip') {
      const ip = ipPath(parts[i]);
      if (!ip) return undefined;
      p = ip;
    }
    const v = partValue(p, parts[i]);
    if (v === undefined) return undefined;
    out.push({ path: p, value: v });
  }
  return out;
}

const HASH_LENGTH: Record<string, number> = { MD5: 32, "'SHA-1'": 40, "'SHA-224'": 56, "'SHA-256'": 64, "'SHA-384'": 96, "'SHA-512'": 128, "'SHA3-256'": 64, "'SHA3-512'": 128 };

/**
 * A part's value as STIX needs it, or undefined when it cannot be a valid STIX value (then the
 * attribute is kept unmapped rather than turned into an invalid object): hashes must be hex of
 * the algorithm's length (§2.7), ports 0–65535, MAC addresses colon-separated lower case (§6.10).
 */
function partValue(path: string, value: string): string | undefined {
  if (value === '') return undefined;
  const hash = /^(?:file|x509-certificate):hashes\.(.+)$/.exec(path);
  if (hash && HASH_LENGTH[hash[1]] !== undefined) return new RegExp(`^[0-9a-fA-F]{${HASH_LENGTH[hash[1]]}}$`).test(value) ? value : undefined;
  if (path.endsWith('_port')) return /^\d{1,5}$/.test(value) && Number(value) <= 65535 ? value : undefined;
  if (path === 'autonomous-system:number') return /^(AS)?\d{1,10}$/i.test(value) ? value : undefined;
  if (path === 'mac-addr:value') {
    const mac = value.toLowerCase().replace(/-/g, ':');
    return /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac) ? mac : undefined;
  }
  return value;
}

/** MISP composite values use `|`; split into exactly n parts (the last part may contain `|`). */
function splitComposite(value: string, n: number): string[] | undefined {
  const parts = value.split('|');
  if (parts.length < n) return undefined;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join('|')];
}
