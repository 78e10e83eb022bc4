/**
 * Whether bytes[start, end) is one JSON object (RFC 8259 §2-§7), checked on the UTF-8 bytes
 * without decoding or building anything: ingestion stores a line as it came and detection parses
 * it later, in its own thread, so the HTTP thread only needs the yes/no. Accepts exactly what
 * `JSON.parse` accepts for a text whose top-level value is an object, given valid UTF-8 (the body
 * is checked as a whole first). Nesting deeper than 256 levels answers false; callers then parse
 * the text, which also gives the error message.
 */
const stack = new Uint8Array(256);
const OBJ = 1;
const ARR = 2;

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export function isJsonObject(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && isWs(b[i])) i++;
  if (i >= end || b[i] !== 0x7b) return false;
  let depth = 0;
  stack[depth++] = OBJ;
  i++;
  // After an opening bracket: a member (or element), or the matching close.
  let opened = true;
  for (;;) {
    while (i < end && isWs(b[i])) i++;
    if (i >= end) return false;
    const top = stack[depth - 1];
    let c = b[i];
    if (opened && c === (top === OBJ ? 0x7d : 0x5d)) {
      i++;
      depth--;
    } else {
      if (top === OBJ) {
        // §4: inside an object every member starts with its name (member = string ':' value)
        if (c !== 0x22) return false;
        i = skipString(b, i + 1, end);
        if (i < 0) return false;
        while (i < end && isWs(b[i])) i++;
        if (i >= end || b[i] !== 0x3a) return false;
        i++;
        while (i < end && isWs(b[i])) i++;
        if (i >= end) return false;
        c = b[i];
      }
      if (c === 0x7b || c === 0x5b) {
        if (depth >= stack.length) return false;
        stack[depth++] = c === 0x7b ? OBJ : ARR;
        i++;
        opened = true;
        continue;
      }
      i = skipScalar(b, i, end, c);
      if (i < 0) return false;
    }
    opened = false;
    // After a value: a separator, or closes (possibly several).
    for (;;) {
      if (depth === 0) {
        while (i < end && isWs(b[i])) i++;
        return i === end;
      }
      while (i < end && isWs(b[i])) i++;
      if (i >= end) return false;
      const d = b[i];
      if (d === 0x2c) {
        i++;
        break;
      }
      if (d !== (stack[depth - 1] === OBJ ? 0x7d : 0x5d)) return false;
      i++;
      depth--;
    }
  }
}

/** Past the closing quote of a string whose opening quote is before i (§7), or -1. */
function skipString(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i++];
    if (c === 0x22) return i;
    if (c === 0x5c) {
      if (i >= end) return -1;
      const e = b[i++];
      if (e === 0x75) {
        if (i + 4 > end) return -1;
        for (let k = 0; k < 4; k++) {
          const h = b[i++];
          if (!((h >= 0x30 && h <= 0x39) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46))) return -1;
        }
      } else if (!(e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) return -1;
    } else if (c < 0x20) return -1;
  }
  return -1;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function literal(b: Uint8Array, i: number, end: number, word: number[]): number {
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Past a string, number (§6) or literal (§3) starting at i, or -1. */
function skipScalar(b: Uint8Array, i: number, end: number, c: number): number {
  if (c === 0x22) return skipString(b, i + 1, end);
  if (c === 0x74) return literal(b, i, end, TRUE);
  if (c === 0x66) return literal(b, i, end, FALSE);
  if (c === 0x6e) return literal(b, i, end, NULL);
  if (c === 0x2d) i++;
  if (i >= end) return -1;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (i < end && isDigit(b[i])) i++;
  else return -1;
  if (i < end && b[i] === 0x2e) {
    i++;
    if (!(i < end && isDigit(b[i]))) return -1;
    while (i < end && isDigit(b[i])) i++;
  }
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    if (!(i < end && isDigit(b[i]))) return -1;
    while (i < end && isDigit(b[i])) i++;
  }
  return i;
}
