/**
 * HL7 v2.x message parser (HL7 v2.5.1 Ch. 2 "Control"): segments separated by CR (§2.5.1; LF and
 * CRLF are accepted too because files are often re-saved), fields by MSH-1, components /
 * repetitions / escape / subcomponents by the four characters of MSH-2 (§2.5.4). Values stay
 * escaped in the parsed message; `component()` splits and unescapes on demand (§2.7).
 */
export interface Hl7Encoding {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export interface Hl7Segment {
  id: string;
  /** fields[n] is SEG-n, still escaped; fields[0] is the segment id. For MSH, fields[1] is MSH-1. */
  fields: string[];
}

export interface Hl7Message {
  encoding: Hl7Encoding;
  segments: Hl7Segment[];
}

export type Hl7Result = { ok: true; message: Hl7Message } | { ok: false; error: string; segment?: number };

/** Parses one message: text from `MSH` to the end of its last segment. */
export function parseHl7(text: string): Hl7Result {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return { ok: false, error: 'empty message' };
  const msh = lines[0];
  if (!msh.startsWith('MSH')) return { ok: false, error: `message does not start with MSH (found ${JSON.stringify(msh.slice(0, 3))})`, segment: 1 };
  if (msh.length < 8) return { ok: false, error: 'MSH too short to hold MSH-1 and MSH-2 (§2.14.9.1-2)', segment: 1 };
  const fs = msh[3];
  const encEnd = msh.indexOf(fs, 4);
  const enc = msh.slice(4, encEnd < 0 ? undefined : encEnd);
  if (enc.length < 3 || /[A-Za-z0-9]/.test(fs + enc)) return { ok: false, error: `invalid encoding characters ${JSON.stringify(fs + enc)} in MSH-1/MSH-2`, segment: 1 };
  const encoding: Hl7Encoding = { field: fs, component: enc[0], repetition: enc[1], escape: enc[2] ?? '\\', subcomponent: enc[3] ?? '&' };
  const segments: Hl7Segment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const id = l.slice(0, 3);
    if (!/^[A-Z][A-Z0-9]{2}$/.test(id) || (l.length > 3 && l[3] !== fs)) {
      return { ok: false, error: `segment ${i + 1}: invalid segment id ${JSON.stringify(l.slice(0, 4))}`, segment: i + 1 };
    }
    if (id === 'MSH' && i > 0) return { ok: false, error: `segment ${i + 1}: second MSH inside one message`, segment: i + 1 };
    let fields: string[];
    if (id === 'MSH') {
      const rest = l.slice(4).split(fs);
      fields = ['MSH', fs, ...rest];
    } else fields = l.split(fs);
    segments.push({ id, fields });
  }
  const msh9 = segments[0].fields[9];
  if (!msh9) return { ok: false, error: 'MSH-9 (message type) is empty', segment: 1 };
  return { ok: true, message: { encoding, segments } };
}

/** Unescapes one value (§2.7.1–§2.7.6): \F\ \S\ \T\ \R\ \E\, \Xhh..\, \.br\; formatting dropped. */
export function unescapeHl7(v: string, enc: Hl7Encoding): string {
  const e = enc.escape;
  if (!v.includes(e)) return v;
  let out = '';
  let i = 0;
  while (i < v.length) {
    const c = v[i];
    if (c !== e) {
      out += c;
      i++;
      continue;
    }
    const end = v.indexOf(e, i + 1);
    if (end < 0) {
      out += v.slice(i); // a lone escape character is kept literally
      break;
    }
    const seq = v.slice(i + 1, end);
    switch (seq[0]) {
      case 'F': out += enc.field; break;
      case 'S': out += enc.component; break;
      case 'T': out += enc.subcomponent; break;
      case 'R': out += enc.repetition; break;
      case 'E': out += enc.escape; break;
      case 'X': {
        const hex = seq.slice(1);
        if (/^([0-9A-Fa-f]{2})+$/.test(hex)) out += Buffer.from(hex, 'hex').toString('latin1');
        break;
      }
      case '.':
        if (seq === '.br') out += '\n';
        break;
      case 'Z':
        out += `${e}${seq}${e}`; // locally defined: keep as sent
        break;
      default:
        break; // \H\ \N\ highlighting, \Cxxyy\ \Mxxyyzz\ charset switches: no text
    }
    i = end + 1;
  }
  return out;
}

/**
 * SEG-field.rep.component.subcomponent of a segment, unescaped ('' when absent). `rep`,
 * `comp` and `sub` are 1-based as in HL7 notation (PID-5.1 = family name).
 */
export function component(seg: Hl7Segment | undefined, enc: Hl7Encoding, field: number, comp = 1, sub = 1, rep = 1): string {
  if (!seg) return '';
  const f = seg.fields[field];
  if (f === undefined || f === '') return '';
  if (seg.id === 'MSH' && (field === 1 || field === 2)) return f;
  const r = f.split(enc.repetition)[rep - 1] ?? '';
  const c = r.split(enc.component)[comp - 1] ?? '';
  const s = c.split(enc.subcomponent)[sub - 1] ?? '';
  return unescapeHl7(s, enc);
}

/** Number of repetitions of a field. */
export function repetitions(seg: Hl7Segment | undefined, enc: Hl7Encoding, field: number): number {
  const f = seg?.fields[field];
  return f ? f.split(enc.repetition).length : 0;
}

/** HL7 DTM (§2.A.22) `YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]` → ISO 8601; no zone means UTC here. */
export function hl7Time(v: string): string | undefined {
  // Hand-rolled (no regex): called several times per message on the hot path.
  const s = v.length && (v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32) ? v.trim() : v;
  let i = 0;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  const digits = i;
  if (digits < 4 || digits > 14 || digits % 2 !== 0) return undefined;
  let frac = '';
  if (s.charCodeAt(i) === 46 /* . */) {
    let j = i + 1;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
    if (j === i + 1 || j - i - 1 > 4 || digits !== 14) return undefined;
    frac = (s.slice(i, j) + '000').slice(0, 4);
    i = j;
  }
  let zone = 'Z';
  if (i < s.length) {
    const c = s.charCodeAt(i);
    if ((c !== 43 && c !== 45) || s.length - i !== 5) return undefined;
    for (let k = i + 1; k < s.length; k++) if (!isDigit(s.charCodeAt(k))) return undefined;
    zone = `${s.slice(i, i + 3)}:${s.slice(i + 3, i + 5)}`;
  }
  const part = (a: number, d: string): string => (digits >= a + 2 ? s.slice(a, a + 2) : d);
  return `${s.slice(0, 4)}-${part(4, '01')}-${part(6, '01')}T${part(8, '00')}:${part(10, '00')}:${part(12, '00')}${frac}${zone}`;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Encodes text for an HL7 field (the inverse of unescapeHl7 for the delimiters). */
export function escapeHl7(v: string, enc: Hl7Encoding = DEFAULT_ENCODING): string {
  let out = '';
  for (const c of v) {
    if (c === enc.escape) out += `${enc.escape}E${enc.escape}`;
    else if (c === enc.field) out += `${enc.escape}F${enc.escape}`;
    else if (c === enc.component) out += `${enc.escape}S${enc.escape}`;
    else if (c === enc.subcomponent) out += `${enc.escape}T${enc.escape}`;
    else if (c === enc.repetition) out += `${enc.escape}R${enc.escape}`;
    else if (c === '\n') out += `${enc.escape}.br${enc.escape}`;
    else out += c;
  }
  return out;
}

export const DEFAULT_ENCODING: Hl7Encoding = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };
