import type { Writable } from 'node:stream';
import { levelColor } from './summary.js';
import type { HitRecord } from './record.js';

/**
 * Output formats for hits, keyed by the word given to `--format`. Each writes hits as they come
 * (streaming; `json` writes one array incrementally) so output size never costs memory. Hits are
 * gathered into one string and handed to the stream at each flush() (hunt flushes after every
 * batch of input): a stream write per hit cost ~20 µs, more than detecting it.
 */
export interface HitWriter {
  write(h: HitRecord): void;
  /** hands what was written since the last flush to the stream */
  flush(): void;
  end(): void;
}

/** Text gathered for one stream write per flush (and at least every 64 K characters). */
class Pending {
  private text = '';
  constructor(private readonly out: Writable) {}
  add(s: string): void {
    this.text += s;
    if (this.text.length >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.text === '') return;
    this.out.write(this.text);
    this.text = '';
  }
}

type Factory = (out: Writable, opts: { color: boolean }) => HitWriter;

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const where = (h: HitRecord) => `${h.source.file ?? ''}${h.source.line !== undefined ? `:${h.source.line}` : h.source.record !== undefined ? `#${h.source.record}` : ''}`;

const fieldText = (f: Record<string, unknown>) =>
  Object.entries(f)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ')
    .replace(/\s+/g, ' ');

export const formats: Record<string, { description: string; create: Factory }> = {
  table: {
    description: 'one aligned line per hit: time, level, host, rule, source, matched fields',
    create: (stream, { color }) => {
      const out = new Pending(stream);
      return {
        write(h) {
          const lvl = h.rule.level.padEnd(13);
          const line = [
            (h.timestamp ?? '-').padEnd(24),
            color ? levelColor[h.rule.level]?.(lvl) ?? lvl : lvl,
            (h.host ?? '-').padEnd(20),
            h.rule.title,
            `[${where(h)}]`,
            h.correlation ? `${h.correlation.type} count=${h.correlation.count} group=${JSON.stringify(h.correlation.group)}` : fieldText(h.fields).slice(0, 300),
          ].join(' ');
          out.add(line + '\n');
        },
        flush: () => out.flush(),
        end: () => out.flush(),
      };
    },
  },
  jsonl: {
    description: 'one JSON object per hit (the contract in README §Output)',
    create: (stream) => {
      const out = new Pending(stream);
      return { write: (h) => out.add(JSON.stringify(h) + '\n'), flush: () => out.flush(), end: () => out.flush() };
    },
  },
  json: {
    description: 'one JSON array of hits',
    create: (stream) => {
      const out = new Pending(stream);
      let n = 0;
      out.add('[');
      return {
        write: (h) => out.add((n++ ? ',\n' : '\n') + JSON.stringify(h)),
        flush: () => out.flush(),
        end: () => {
          out.add(n ? '\n]\n' : ']\n');
          out.flush();
        },
      };
    },
  },
  csv: {
    description: 'RFC 4180 CSV: timestamp, level, rule_id, rule_title, host, file, line, record, attack, fields',
    create: (stream) => {
      const out = new Pending(stream);
      out.add('timestamp,level,rule_id,rule_title,host,file,line,record,attack,fields\n');
      return {
        write: (h) =>
          out.add(
            [h.timestamp, h.rule.level, h.rule.id, h.rule.title, h.host, h.source.file, h.source.line, h.source.record, h.attack.join(' '), h.correlation ? { correlation: h.correlation } : h.fields]
              .map(csvCell)
              .join(',') + '\n',
          ),
        flush: () => out.flush(),
        end: () => out.flush(),
      };
    },
  },
};
