import type Database from 'better-sqlite3';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { StoredEvent } from '../app/index.js';

/**
 * Events are stored in blocks: one row holds up to BLOCK_EVENTS consecutive events of one
 * organisation, source, format and receipt time, with sequence numbers first_seq..last_seq.
 * `raw` is the events' UTF-8 bytes as they arrived (for an NDJSON request, the slice of the body
 * that holds them, separators included) and `pos` is each event's [start, end) in `raw`, as
 * little-endian uint32 pairs. `codec` says how `raw` is stored: 0 as is, 1 Brotli (RFC 7932).
 *
 * Why not one row per event: at ingest rates SQLite's work is per row and per B-tree cell
 * (a ~1 KiB event is one cell of a 16 KiB page, plus an index entry), and the writer spent
 * ~7 µs per event on it; a block is written as one run of overflow pages, about half of that
 * (bench/serve.bench.ts, docs/performance.md). Reading one event reads its block (≤ BLOCK_BYTES
 * plus one event), which evidence lookups and event listings can afford.
 *
 * Why compressed: logs are JSON with the same names and values again and again; Brotli at
 * quality 1 shrinks a block of Windows events 6–7× (the serve bench's mix: 1,295 bytes per event
 * as JSON, 204 stored) for ~3 µs of CPU per event, and the bytes it saves are written twice (WAL,
 * then the database), synced and held in the page cache. It also decides which disk a hospital
 * needs: at 1,000 events/s, ~110 GB a day of JSON becomes ~18 GB.
 */
const BLOCK_EVENTS = 64;
const BLOCK_BYTES = 128 * 1024;

export const BLOCK_COLUMNS = 'first_seq, last_seq, org_id, source, format, received_at, pos, codec, raw';

export interface BlockRow {
  first_seq: number;
  last_seq: number;
  org_id: string;
  source: string;
  format: string;
  received_at: number;
  pos: Buffer;
  codec: number;
  raw: Buffer;
}

const CODEC_NONE = 0;
const CODEC_BROTLI = 1;

/** How a block's bytes are stored: compressed unless that does not make them smaller. */
function packRaw(raw: Buffer): { codec: number; raw: Buffer } {
  const z = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  return z.length < raw.length ? { codec: CODEC_BROTLI, raw: z } : { codec: CODEC_NONE, raw };
}

/** The block's bytes as they arrived (decompressed once per row read); a string when unreadable. */
function rawOf(b: BlockRow): Buffer | string {
  if (b.codec === CODEC_BROTLI) {
    try {
      b.raw = brotliDecompressSync(b.raw);
      b.codec = CODEC_NONE;
    } catch (err) {
      return `cannot decompress: ${(err as Error).message}`;
    }
  } else if (b.codec !== CODEC_NONE) return `unknown codec ${b.codec}`;
  return b.raw;
}

/** `pos` for events at [starts[i], ends[i]) of a block whose bytes begin at `base`. */
function encodePositions(offsets: ArrayLike<number>, from: number, count: number, base: number): Buffer {
  const pos = Buffer.allocUnsafe(8 * count);
  for (let m = 0; m < count; m++) {
    pos.writeUInt32LE(offsets[2 * (from + m)] - base, 8 * m);
    pos.writeUInt32LE(offsets[2 * (from + m) + 1] - base, 8 * m + 4);
  }
  return pos;
}

/** How many events of offsets[from..count) go in the next block (at least one). */
function blockLength(offsets: ArrayLike<number>, from: number, count: number): number {
  const base = offsets[2 * from];
  let j = from + 1;
  while (j < count && j - from < BLOCK_EVENTS && offsets[2 * j + 1] - base <= BLOCK_BYTES) j++;
  return j - from;
}

export const INSERT_BLOCK = `INSERT INTO event_blocks(first_seq, last_seq, org_id, source, format, received_at, pos, codec, raw)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Events of one organisation, source, format and receipt time: event i is buf[offsets[2i], offsets[2i + 1]). */
export interface EventRun {
  orgId: string;
  source: string;
  format: string;
  receivedAt: number;
  buf: Buffer;
  offsets: ArrayLike<number>;
  count: number;
}

/** Texts or byte strings laid end to end (EventRun's buf and offsets). */
export function joinEvents(raws: (string | Uint8Array)[]): { buf: Buffer; offsets: number[] } {
  const parts = raws.map((r) => (typeof r === 'string' ? Buffer.from(r, 'utf8') : r));
  const offsets: number[] = [];
  let pos = 0;
  for (const p of parts) offsets.push(pos, (pos += p.length));
  return { buf: Buffer.concat(parts, pos), offsets };
}

/**
 * Writes a run as blocks (INSERT_BLOCK prepared on the connection), the first event numbered
 * `seq` and the rest after it; a block's bytes are a slice of the run's. Returns the next number.
 */
export function insertRun(insert: Database.Statement, run: EventRun, seq: number): number {
  for (let i = 0; i < run.count; ) {
    const k = blockLength(run.offsets, i, run.count);
    const base = run.offsets[2 * i];
    const packed = packRaw(run.buf.subarray(base, run.offsets[2 * (i + k - 1) + 1]));
    insert.run(seq, seq + k - 1, run.orgId, run.source, run.format, run.receivedAt, encodePositions(run.offsets, i, k, base), packed.codec, packed.raw);
    seq += k;
    i += k;
  }
  return seq;
}

/** The block's events with lo ≤ seq ≤ hi, in sequence order. */
export function blockEvents(b: BlockRow, lo = b.first_seq, hi = b.last_seq): StoredEvent[] {
  const out: StoredEvent[] = [];
  const from = Math.max(lo, b.first_seq);
  const to = Math.min(hi, b.last_seq);
  const raw = from <= to ? rawOf(b) : b.raw;
  for (let seq = from; seq <= to; seq++) {
    const m = seq - b.first_seq;
    const s = 8 * m + 8 <= b.pos.length ? b.pos.readUInt32LE(8 * m) : -1;
    const e = s >= 0 ? b.pos.readUInt32LE(8 * m + 4) : -1;
    // A damaged block is not an exception that hides its neighbours: each of its events reads as
    // a JSON object saying what is wrong (detection finds nothing in it; an analyst sees why).
    const bad = typeof raw === 'string' ? raw : s < 0 || e < s || e > raw.length ? 'event offsets out of range' : undefined;
    const text = bad === undefined ? (raw as Buffer).toString('utf8', s, e) : JSON.stringify({ 'ward.error': `event ${seq} unreadable (block ${b.first_seq}-${b.last_seq}): ${bad}` });
    out.push({ seq, orgId: b.org_id, source: b.source, format: b.format, receivedAt: b.received_at, raw: text });
  }
  return out;
}

/** The read side of the events table (the writes are in writes.ts). */
export class EventBlocks {
  private readonly st: Record<'containing' | 'after' | 'last', Database.Statement>;

  constructor(private readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      containing: p(`SELECT ${BLOCK_COLUMNS} FROM event_blocks WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1`),
      after: p(`SELECT ${BLOCK_COLUMNS} FROM event_blocks
        WHERE first_seq >= coalesce((SELECT max(first_seq) FROM event_blocks WHERE first_seq <= ?), 0) ORDER BY first_seq`),
      last: p('SELECT last_seq FROM event_blocks ORDER BY first_seq DESC LIMIT 1'),
    };
  }

  lastSeq(): number {
    return ((this.st.last.get() as { last_seq: number } | undefined)?.last_seq) ?? 0;
  }

  /** Events with seq > after, at most `limit`, in order (detection catching up after a restart). */
  after(after: number, limit: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    if (limit <= 0) return out;
    for (const b of this.st.after.iterate(after + 1) as IterableIterator<BlockRow>) {
      const lo = Math.max(after + 1, b.first_seq);
      out.push(...blockEvents(b, lo, lo + (limit - out.length) - 1));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The organisation's events among `seqs`, in sequence order (another organisation's are not returned). */
  get(orgId: string, seqs: number[]): StoredEvent[] {
    const want = [...new Set(seqs.filter((s) => Number.isSafeInteger(s) && s > 0))].sort((a, b) => a - b);
    const out: StoredEvent[] = [];
    let block: BlockRow | undefined;
    for (const seq of want) {
      if (!block || seq > block.last_seq) block = this.st.containing.get(seq) as BlockRow | undefined;
      if (!block || seq > block.last_seq || block.org_id !== orgId) continue;
      out.push(...blockEvents(block, seq, seq));
    }
    return out;
  }

  /** The organisation's newest events (before `beforeSeq`, from `source` when given), newest first. */
  list(orgId: string, q: { beforeSeq?: number; source?: string; limit: number }): StoredEvent[] {
    const where = ['org_id = ?'];
    const args: unknown[] = [orgId];
    if (q.beforeSeq !== undefined) {
      where.push('first_seq < ?');
      args.push(q.beforeSeq);
    }
    if (q.source) {
      where.push('source = ?');
      args.push(q.source);
    }
    const out: StoredEvent[] = [];
    if (q.limit <= 0) return out;
    const rows = this.db.prepare(`SELECT ${BLOCK_COLUMNS} FROM event_blocks WHERE ${where.join(' AND ')} ORDER BY first_seq DESC`);
    for (const b of rows.iterate(...args) as IterableIterator<BlockRow>) {
      const evs = blockEvents(b, b.first_seq, q.beforeSeq === undefined ? b.last_seq : q.beforeSeq - 1);
      for (let i = evs.length - 1; i >= 0 && out.length < q.limit; i--) out.push(evs[i]);
      if (out.length >= q.limit) break;
    }
    return out;
  }
}
