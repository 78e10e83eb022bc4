/**
 * RFC 4180 CSV fields of one record. Returns undefined when a quoted field is still open at the
 * end of `text` (the record continues on the next line: the caller appends it and retries).
 */
export function parseCsvRecord(text: string, sep = ','): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (i < n && text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        v += text.slice(i, q);
        if (text[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // Text between the closing quote and the separator is tolerated and appended (Excel does so).
      const next = text.indexOf(sep, i);
      v += text.slice(i, next < 0 ? n : next);
      out.push(v);
      if (next < 0) return out;
      i = next + sep.length;
    } else {
      const next = text.indexOf(sep, i);
      out.push(text.slice(i, next < 0 ? n : next));
      if (next < 0) return out;
      i = next + sep.length;
    }
  }
}
