import { open, readFile, stat } from 'node:fs/promises';
import type { ReadOptions, SourceItem, SourceReader } from '../types.js';
import { parseSyslog, syslogRecord } from '../syslog/index.js';
import { Batcher, extOf, readLines } from '../fhir/lines.js';
import { findAuditPayload, parseAuditMessage } from './xml.js';

export const ATNA_FORMAT = 'atna';
const MAX_XML_BYTES = 256 * 1024 * 1024;

/**
 * IHE ATNA / DICOM PS3.15 A.5 audit messages, from
 *  - XML files holding one or more `<AuditMessage>` documents (.xml, .atna), and
 *  - syslog files where each line is an RFC 5424 message whose MSG is the XML (IHE ITI-20
 *    "Record Audit Event" over syslog, RFC 5425/5426 transports written to disk one per line).
 * A record is `{ atna: AtnaMessage, syslog?: {...header} }`; the layout `atna` flattens it.
 */
export const atnaReader: SourceReader = {
  name: ATNA_FORMAT,
  description: 'DICOM PS3.15 / IHE ATNA audit messages (XML files or syslog lines carrying the XML)',
  sniff(path, head) {
    const ext = extOf(path);
    const s = head.toString('utf8');
    if (!s.includes('<AuditMessage')) return false;
    return ext === '.xml' || ext === '.atna' || ext === '.log' || ext === '.syslog' || ext === '.txt' || ext === '';
  },
  read(path, options) {
    return readAtna(path, options ?? {});
  },
};

async function* readAtna(path: string, options: ReadOptions): AsyncGenerator<SourceItem[]> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(64);
  const { bytesRead } = await fh.read(head, 0, 64, 0).finally(() => fh.close());
  const first = head.subarray(0, bytesRead).toString('utf8');
  const ext = extOf(path);
  // A file that starts with a syslog PRI is line-framed syslog; anything else is XML.
  if (/^\s*(\d+ )?<\d{1,3}>/.test(first) || (ext !== '.xml' && ext !== '.atna' && !first.trimStart().startsWith('<'))) {
    yield* readSyslogLines(path, options);
    return;
  }
  yield* readXmlFile(path, options);
}

async function* readSyslogLines(path: string, options: ReadOptions): AsyncGenerator<SourceItem[]> {
  const batch = new Batcher<SourceItem>(options.batchSize ?? 512);
  const now = new Date();
  for await (const l of readLines(path, options.maxLineBytes ?? 1024 * 1024)) {
    if (options.signal?.aborted) break;
    const item = syslogLineItem(l.text, path, l.line, l.offset, now, l.tooLong);
    if (!item) continue;
    const full = batch.push(item);
    if (full) yield full;
  }
  const rest = batch.drain();
  if (rest) yield rest;
}

/** One syslog line → an ATNA record or a problem (undefined for blank lines). */
export function syslogLineItem(text: string, file: string, line: number, offset: number, now = new Date(), tooLong = false): SourceItem | undefined {
  const loc = { file, line, offset };
  if (tooLong) return { kind: 'problem', problem: { code: 'atna.line-too-long', message: 'line exceeds the size limit; skipped', location: loc } };
  if (text.trim() === '') return undefined;
  // RFC 5425 §4.3 octet-counting framing ("MSG-LEN SP SYSLOG-MSG") kept in a capture: strip it.
  const framed = /^\d+ (?=<)/.exec(text);
  const msgText = framed ? text.slice(framed[0].length) : text;
  const sys = parseSyslog(msgText, { now });
  if (!sys.ok) return { kind: 'problem', problem: { code: 'atna.syslog', message: `not a syslog message: ${sys.error}`, location: { ...loc, column: sys.column } } };
  const at = findAuditPayload(sys.message.message);
  if (at < 0) return { kind: 'problem', problem: { code: 'atna.no-payload', message: 'syslog message carries no <AuditMessage>', location: loc } };
  const r = parseAuditMessage(sys.message.message.slice(at));
  if (!r.ok) return { kind: 'problem', problem: { code: 'atna.xml', message: r.error, location: { ...loc, column: r.column } } };
  const header = syslogRecord(sys.message);
  delete header.message;
  return { kind: 'record', data: { atna: r.message, syslog: header }, loc, format: ATNA_FORMAT };
}

async function* readXmlFile(path: string, options: ReadOptions): AsyncGenerator<SourceItem[]> {
  const size = (await stat(path)).size;
  if (size > MAX_XML_BYTES) {
    yield [{ kind: 'problem', problem: { code: 'atna.too-large', message: `XML file of ${size} bytes is too large`, location: { file: path } } }];
    return;
  }
  const text = await readFile(path, 'utf8');
  const items: SourceItem[] = [];
  // Files written by audit repositories often concatenate messages; each is parsed on its own so
  // one broken message does not hide the others.
  const re = /<AuditMessage[\s>][\s\S]*?<\/AuditMessage\s*>/g;
  let m: RegExpExecArray | null;
  let lineAt = 0;
  let lineNo = 1;
  let found = 0;
  while ((m = re.exec(text))) {
    found++;
    for (let i = lineAt; i < m.index; i++) if (text.charCodeAt(i) === 10) lineNo++;
    lineAt = m.index;
    const loc = { file: path, line: lineNo, offset: Buffer.byteLength(text.slice(0, m.index)), record: found };
    const r = parseAuditMessage(m[0]);
    if (r.ok) items.push({ kind: 'record', data: { atna: r.message }, loc, format: ATNA_FORMAT });
    else items.push({ kind: 'problem', problem: { code: 'atna.xml', message: r.error, location: { ...loc, line: lineNo + (r.line ?? 1) - 1 } } });
  }
  if (found === 0) {
    items.push({ kind: 'problem', problem: { code: 'atna.xml', message: 'no complete <AuditMessage>…</AuditMessage> found', location: { file: path, line: 1 } } });
  }
  const size2 = options.batchSize ?? 512;
  for (let i = 0; i < items.length; i += size2) yield items.slice(i, i + size2);
}
