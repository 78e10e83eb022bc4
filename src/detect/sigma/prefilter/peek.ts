import { unitsToString } from '../../../util/index.js';

/**
 * Byte-level looks at a JSON line before the raw screen tokenizes it. Both are guesses the screen
 * checks afterwards, never verdicts: a wrong guess only makes the line "cannot judge".
 */

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const EVENT = [0x22, 0x45, 0x76, 0x65, 0x6e, 0x74, 0x22]; // "Event"

/**
 * Whether the line opens as evtx_dump writes it: `{"Event": {` (whitespace allowed, RFC 8259 §2).
 * A line that does not is left unjudged, without a scan: other layouts put other members first,
 * and an object whose "Event" member comes later is rare enough to parse.
 */
export function opensWithEvent(b: Uint8Array, start: number, end: number): boolean {
  let p = start;
  while (p < end && isWs(b[p])) p++;
  if (b[p++] !== 0x7b) return false;
  while (p < end && isWs(b[p])) p++;
  if (p + EVENT.length > end) return false;
  for (let i = 0; i < EVENT.length; i++) if (b[p + i] !== EVENT[i]) return false;
  p += EVENT.length;
  while (p < end && isWs(b[p])) p++;
  if (b[p++] !== 0x3a) return false;
  while (p < end && isWs(b[p])) p++;
  return p < end && b[p] === 0x7b;
}

/**
 * The first `"<name>"` followed by a colon in b[from, end); the position after the colon, or -1.
 * The native byte search may read past `end` (into the lines after this one in a reader's buffer)
 * until it meets the name's first letter, which an evtx_dump line always holds.
 */
function member(b: Uint8Array, name: Uint8Array, from: number, end: number): number {
  const first = name[0];
  const n = name.length;
  for (let p = b.indexOf(first, from); p > from && p + n + 1 < end; p = b.indexOf(first, p + 1)) {
    if (b[p - 1] !== 0x22 || b[p + n] !== 0x22) continue;
    let k = 1;
    while (k < n && b[p + k] === name[k]) k++;
    if (k < n) continue;
    let q = p + n + 1;
    while (q < end && isWs(b[q])) q++;
    if (b[q] === 0x3a) return q + 1;
  }
  return -1;
}

const CHANNEL = Buffer.from('Channel');
const EVENT_ID = Buffer.from('EventID');
const TEXT = Buffer.from('#text');

/**
 * Reads strings out of bytes without allocating when they repeat (logs come in runs of one
 * Channel): the previous string is returned when the bytes spell it again.
 */
class AsciiReuse {
  private last = '';
  read(b: Uint8Array, start: number, end: number): string {
    const last = this.last;
    if (last.length === end - start) {
      let i = 0;
      while (i < last.length && last.charCodeAt(i) === b[start + i]) i++;
      if (i === last.length) return last;
    }
    return (this.last = unitsToString(b, start, end));
  }
}

/**
 * The event's Channel and EventID as evtx_dump writes them (`"Channel":"Security"`,
 * `"EventID":4688` or `"EventID":{"#attributes":…,"#text":4688}`), found by searching the bytes,
 * in the form the screen keys its candidates by; undefined when either is not plainly there
 * (escapes, non-ASCII bytes, another shape).
 */
export class PairPeek {
  channel = '';
  eventId = '';
  private ch = new AsciiReuse();
  private id = new AsciiReuse();

  peek(b: Uint8Array, start: number, end: number): boolean {
    let p = member(b, CHANNEL, start, end);
    if (p < 0) return false;
    while (p < end && isWs(b[p])) p++;
    if (b[p] !== 0x22) return false;
    const cs = ++p;
    while (p < end && b[p] !== 0x22 && b[p] !== 0x5c && b[p] < 0x80 && b[p] >= 0x20) p++;
    if (b[p] !== 0x22) return false;
    const ce = p;
    p = member(b, EVENT_ID, start, end);
    if (p < 0) return false;
    while (p < end && isWs(b[p])) p++;
    if (b[p] === 0x7b) {
      // `#` may not occur again for a long way: look in the object's first bytes only.
      const q = p;
      p = -1;
      for (let k = q; k < end && k < q + 200; k++) {
        if (b[k] === 0x23) {
          p = member(b, TEXT, k - 1, end);
          break;
        }
      }
      if (p < 0) return false;
      while (p < end && isWs(b[p])) p++;
    }
    const quoted = b[p] === 0x22;
    if (quoted) p++;
    // Leading zeros are dropped, as normalize/ turns an all-digit EventID into a number.
    while (p + 1 < end && b[p] === 0x30 && b[p + 1] >= 0x30 && b[p + 1] <= 0x39) p++;
    const is = p;
    while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
    if (p === is || p - is > 15 || (quoted && b[p] !== 0x22)) return false;
    this.channel = this.ch.read(b, cs, ce);
    this.eventId = this.id.read(b, is, p);
    return true;
  }
}
