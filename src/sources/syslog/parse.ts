/**
 * Syslog message parser: RFC 5424 (The Syslog Protocol) and the older BSD format described by
 * RFC 3164. One message in, one structured record (or a positioned error) out; framing (UDP
 * datagram, octet counting, newline) is the transport's job (RFC 5425 §4.3, RFC 6587 §3.4).
 */

export interface SyslogMessage {
  /** 'rfc5424' or 'rfc3164' (RFC 3164 also covers messages without a valid header, §4.3.3). */
  protocol: 'rfc5424' | 'rfc3164';
  /** PRI = facility * 8 + severity (RFC 5424 §6.2.1). */
  facility: number;
  severity: number;
  /** Textual severity, e.g. 'err', 'warning' (RFC 5424 table 2 keywords). */
  severityName: string;
  facilityName: string;
  version?: number;
  /** ISO 8601 time, when the message carries one. */
  timestamp?: string;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  /** SD-ID → { PARAM-NAME → PARAM-VALUE } (RFC 5424 §6.3). Repeated params become arrays. */
  structuredData?: Record<string, Record<string, string | string[]>>;
  message: string;
}

export type SyslogResult = { ok: true; message: SyslogMessage } | { ok: false; error: string; column: number };

export interface SyslogParseOptions {
  /** Reference time for RFC 3164 timestamps, which carry no year (§4.1.2). Default: now. */
  now?: Date;
  /** PRI assumed when a message has none (RFC 3164 §4.3.3 says 13: user.notice). */
  defaultPri?: number;
}

const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4',
  'local5', 'local6', 'local7',
];
const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

const fail = (error: string, column: number): SyslogResult => ({ ok: false, error, column: column + 1 });

/** Parses one syslog message (without its transport framing or trailing newline). */
export function parseSyslog(input: string, options: SyslogParseOptions = {}): SyslogResult {
  let text = input;
  // Trailing CR/LF/NUL are framing leftovers (RFC 6587 §3.4.2 allows LF, CRLF, NUL trailers).
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13 || text.charCodeAt(end - 1) === 0)) end--;
  if (end !== text.length) text = text.slice(0, end);
  if (text.length === 0) return fail('empty message', 0);

  let pri = options.defaultPri ?? 13;
  let pos = 0;
  if (text[0] === '<') {
    // RFC 5424 §6.2.1: PRI is 1–3 digits, 0–191, no leading zeros except "<0>".
    const close = text.indexOf('>', 1);
    if (close < 2 || close > 4) return fail('PRI must be "<" 1-3 digits ">"', 0);
    const digits = text.slice(1, close);
    if (!/^\d+$/.test(digits) || (digits.length > 1 && digits[0] === '0')) return fail(`invalid PRI "${digits}"`, 1);
    pri = Number(digits);
    if (pri > 191) return fail(`PRI ${pri} out of range 0-191`, 1);
    pos = close + 1;
  }
  const facility = pri >> 3;
  const severity = pri & 7;
  const base = {
    facility,
    severity,
    severityName: SEVERITIES[severity],
    facilityName: FACILITIES[facility] ?? `facility${facility}`,
  };
  // RFC 5424 §6.2.2: VERSION is a non-zero digit followed by SP directly after PRI.
  if (/^[1-9]\d{0,2} /.test(text.slice(pos, pos + 4))) {
    const r = parse5424(text, pos, base);
    // A BSD message may start with a number by accident ("<13>1 apples"); only fall back when it
    // cannot be RFC 5424 at all, i.e. its timestamp field is not a timestamp or "-".
    if (r.ok || !r.error.startsWith('TIMESTAMP')) return r;
  }
  return { ok: true, message: parse3164(text, pos, base, options.now ?? new Date()) };
}

type Base = Pick<SyslogMessage, 'facility' | 'severity' | 'severityName' | 'facilityName'>;

function parse5424(text: string, start: number, base: Base): SyslogResult {
  let pos = start;
  const field = (): string | undefined => {
    const sp = text.indexOf(' ', pos);
    const stop = sp < 0 ? text.length : sp;
    const v = text.slice(pos, stop);
    pos = sp < 0 ? text.length : sp + 1;
    return v;
  };
  const version = Number(field());
  const tsCol = pos;
  const ts = field() ?? '';
  let timestamp: string | undefined;
  if (ts !== '-') {
    // RFC 5424 §6.2.3: FULL-DATE "T" FULL-TIME (RFC 3339), fraction ≤ 6 digits, Z or ±hh:mm.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/.test(ts)) {
      return fail(`TIMESTAMP "${ts.slice(0, 40)}" is not RFC 3339 or "-"`, tsCol);
    }
    const ms = Date.parse(ts);
    if (Number.isNaN(ms)) return fail(`TIMESTAMP "${ts}" is not a valid date`, tsCol);
    timestamp = new Date(ms).toISOString();
  }
  const header: (string | undefined)[] = [];
  const limits = [255, 48, 128, 32]; // HOSTNAME, APP-NAME, PROCID, MSGID max lengths (§6.2.4-7)
  const names = ['HOSTNAME', 'APP-NAME', 'PROCID', 'MSGID'];
  for (let i = 0; i < 4; i++) {
    const col = pos;
    if (pos >= text.length) return fail(`${names[i]} missing`, col);
    const v = field() ?? '';
    if (v.length === 0 || v.length > limits[i]) return fail(`${names[i]} must be 1-${limits[i]} printable characters`, col);
    header.push(v === '-' ? undefined : v);
  }
  const msg: SyslogMessage = {
    protocol: 'rfc5424',
    ...base,
    version,
    timestamp,
    hostname: header[0],
    appName: header[1],
    procId: header[2],
    msgId: header[3],
    message: '',
  };
  if (pos >= text.length) return fail('STRUCTURED-DATA missing (use "-")', pos);
  if (text[pos] === '-') {
    pos++;
  } else if (text[pos] === '[') {
    const sd = parseStructuredData(text, pos);
    if ('error' in sd) return fail(sd.error, sd.column);
    msg.structuredData = sd.data;
    pos = sd.end;
  } else {
    return fail('STRUCTURED-DATA must be "-" or start with "["', pos);
  }
  if (pos < text.length) {
    if (text[pos] !== ' ') return fail('expected SP before MSG', pos);
    let m = text.slice(pos + 1);
    // §6.4: MSG may begin with a UTF-8 BOM, which marks it as UTF-8 and is not part of the text.
    if (m.charCodeAt(0) === 0xfeff) m = m.slice(1);
    msg.message = m;
  }
  return { ok: true, message: msg };
}

function parseStructuredData(
  text: string,
  start: number,
): { data: Record<string, Record<string, string | string[]>>; end: number } | { error: string; column: number } {
  const data: Record<string, Record<string, string | string[]>> = {};
  let pos = start;
  const nameRe = /[^ =\]"]+/y; // SD-NAME: PRINTUSASCII except '=', SP, ']', '"' (§6.3.2)
  while (text[pos] === '[') {
    pos++;
    nameRe.lastIndex = pos;
    const id = nameRe.exec(text);
    if (!id) return { error: 'SD-ID expected after "["', column: pos + 1 };
    pos += id[0].length;
    const params: Record<string, string | string[]> = data[id[0]] ?? {};
    while (text[pos] === ' ') {
      pos++;
      nameRe.lastIndex = pos;
      const name = nameRe.exec(text);
      if (!name) return { error: 'PARAM-NAME expected', column: pos + 1 };
      pos += name[0].length;
      if (text[pos] !== '=' || text[pos + 1] !== '"') return { error: `expected ="…" after ${name[0]}`, column: pos + 1 };
      pos += 2;
      let value = '';
      // §6.3.3: inside PARAM-VALUE, '"', '\' and ']' are escaped with '\'; other backslashes stay.
      for (;;) {
        if (pos >= text.length) return { error: `unterminated value of ${name[0]}`, column: pos + 1 };
        const c = text[pos];
        if (c === '\\' && (text[pos + 1] === '"' || text[pos + 1] === '\\' || text[pos + 1] === ']')) {
          value += text[pos + 1];
          pos += 2;
        } else if (c === '"') {
          pos++;
          break;
        } else {
          value += c;
          pos++;
        }
      }
      const prev = params[name[0]];
      params[name[0]] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    if (text[pos] !== ']') return { error: `expected "]" to close [${id[0]}`, column: pos + 1 };
    pos++;
    data[id[0]] = params;
  }
  return { data, end: pos };
}

/**
 * RFC 3164 §4.1.2: "Mmm dd hh:mm:ss HOSTNAME TAG: MSG". Real senders vary (ISO timestamps, no
 * hostname, no TAG), so each part is taken only when it looks right, and the rest is the message.
 */
function parse3164(text: string, start: number, base: Base, now: Date): SyslogMessage {
  let rest = text.slice(start);
  const msg: SyslogMessage = { protocol: 'rfc3164', ...base, message: '' };
  const bsd = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) /.exec(rest);
  const iso = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?) /.exec(rest);
  let haveTime = false;
  if (bsd && MONTHS[bsd[1]] !== undefined) {
    // No year and no zone: local time of the sender, assumed to be ours; a date more than a day
    // in the future belongs to last year (a December message read in January).
    const d = new Date(now.getFullYear(), MONTHS[bsd[1]], Number(bsd[2].trim()), Number(bsd[3]), Number(bsd[4]), Number(bsd[5]));
    if (d.getTime() - now.getTime() > 86_400_000) d.setFullYear(d.getFullYear() - 1);
    msg.timestamp = d.toISOString();
    rest = rest.slice(bsd[0].length);
    haveTime = true;
  } else if (iso && !Number.isNaN(Date.parse(iso[1]))) {
    msg.timestamp = new Date(Date.parse(iso[1])).toISOString();
    rest = rest.slice(iso[0].length);
    haveTime = true;
  }
  if (haveTime) {
    // HOSTNAME: a token without ':' or '[' directly followed by SP (a TAG ends with ':' or ']').
    const host = /^([^\s:[\]]+) /.exec(rest);
    if (host && !/^[^\s[]+(\[\d*\])?:/.test(rest)) {
      msg.hostname = host[1];
      rest = rest.slice(host[0].length);
    }
  }
  // TAG (§4.1.3): up to 32 alphanumerics, commonly "name[pid]:" or "name:".
  const tag = /^([\w./-]{1,48})(?:\[([^\]\s]{1,128})\])?: ?/.exec(rest);
  if (tag) {
    msg.appName = tag[1];
    if (tag[2] !== undefined) msg.procId = tag[2];
    rest = rest.slice(tag[0].length);
  }
  msg.message = rest;
  return msg;
}

/**
 * Flattens a parsed message into the record Ward stores and normalizes: header fields at the top
 * level (so the flat layout finds `hostname` and `timestamp`), structured data as
 * `<SD-ID>.<PARAM>` keys plus the nested `structuredData` object.
 */
export function syslogRecord(m: SyslogMessage): Record<string, unknown> {
  const r: Record<string, unknown> = {
    syslog_protocol: m.protocol,
    facility: m.facilityName,
    severity: m.severityName,
    pri: m.facility * 8 + m.severity,
  };
  if (m.timestamp) r.timestamp = m.timestamp;
  if (m.hostname) r.hostname = m.hostname;
  if (m.appName) r.app_name = m.appName;
  if (m.procId) r.proc_id = m.procId;
  if (m.msgId) r.msg_id = m.msgId;
  r.message = m.message;
  if (m.structuredData) r.structuredData = m.structuredData;
  return r;
}
