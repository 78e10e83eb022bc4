/**
 * Member names the raw screen recognises structurally in the evtx_dump layout (see
 * normalize/windows.ts): a key's id is its position in STRUCTURAL + 1, K_OTHER for any other
 * name. Matched exactly (case and all), as normalize/ does.
 */
export const STRUCTURAL = ['Event', 'System', 'EventData', 'UserData', 'Channel', 'EventID', '#text', '#attributes'];
export const K_OTHER = 0;
export const [K_EVENT, K_SYSTEM, K_EVENTDATA, K_USERDATA, K_CHANNEL, K_EVENTID, K_TEXT, K_ATTRS] = STRUCTURAL.map((_, i) => i + 1);

const CODES = STRUCTURAL.map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0)));

/** The structural id of a name held as code units (or bytes: every structural name is ASCII). */
export function structuralId(codes: ArrayLike<number>, start: number, len: number): number {
  // Most keys are none of these: reject on length and first character before comparing.
  if (len < 5 || len > 11) return K_OTHER;
  const c0 = codes[start];
  if (c0 !== 0x45 && c0 !== 0x53 && c0 !== 0x55 && c0 !== 0x43 && c0 !== 0x23) return K_OTHER;
  outer: for (let k = 0; k < CODES.length; k++) {
    const name = CODES[k];
    if (name.length !== len) continue;
    for (let i = 0; i < len; i++) if (codes[start + i] !== name[i]) continue outer;
    return k + 1;
  }
  return K_OTHER;
}
