import type { Writable } from 'node:stream';
import { levelColor } from './summary.js';
import type { HitRecord } from './record.js';

/**
 * Output formats for hits, keyed by the word given to `--format`. Each writes hits as they come
 * (streaming; `json` writes one array incrementally) so output size never costs memory.
 */
export interface HitWriter {
  write(h: HitRecord): void;
  end(): void;
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
    create: (out, { color }) => ({
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
        out.write(line + '\n');
      },
      end() {},
    }),
  },
  jsonl: {
    description: 'one JSON object per hit (the contract in README §Output)',
    create: (out) => ({
      write: (h) => out.write(JSON.stringify(h) + '\n'),
      end() {},
    }),
  },
  json: {
    description: 'one JSON array of hits',
    create: (out) => {
      let n = 0;
      out.write('[');
      return {
        write: (h) => out.write((n++ ? ',\n' : '\n') + JSON.stringify(h)),
        end: () => out.write(n ? '\n]\n' : ']\n'),
      };
    },
  },
  csv: {
    description: 'RFC 4180 CSV: timestamp, level, rule_id, rule_title, host, file, line, record, attack, fields',
    create: (out) => {
      out.write('timestamp,level,rule_id,rule_title,host,file,line,record,attack,fields\n');
      return {
        write: (h) =>
          out.write(
            [h.timestamp, h.rule.level, h.rule.id, h.rule.title, h.host, h.source.file, h.source.line, h.source.record, h.attack.join(' '), h.correlation ? { correlation: h.correlation } : h.fields]
              .map(csvCell)
              .join(',') + '\n',
          ),
        end() {},
      };
    },
  },
};
