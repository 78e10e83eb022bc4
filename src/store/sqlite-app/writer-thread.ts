/** The store's writer thread (writer.ts): one connection, one transaction per message, in order. */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { Writes } from './writes.js';

const { file, synchronous } = workerData as { file: string; synchronous: string };
const db = new Database(file);
db.pragma('busy_timeout = 5000');
db.pragma(`synchronous = ${synchronous}`);
// As on the store's connection: the checkpoint thread does this work; a backstop only.
db.pragma('wal_autocheckpoint = 65536');
db.pragma('journal_size_limit = 67108864');
const writes = new Writes(db);
const port = parentPort!;

port.on('message', (m: { id: number; type: string; orgId: string; lines: never; events: never; batch: never }) => {
  if (m.type === 'stop') {
    db.close();
    process.exit(0);
  }
  try {
    if (m.type === 'lines') {
      const seqs = writes.appendLines(m.orgId, m.lines);
      port.postMessage({ id: m.id, value: seqs }, [seqs.buffer as ArrayBuffer]);
    } else if (m.type === 'events') port.postMessage({ id: m.id, value: writes.appendEvents(m.orgId, m.events) });
    else if (m.type === 'rows') {
      writes.saveRows(m.batch);
      port.postMessage({ id: m.id });
    }
  } catch (err) {
    port.postMessage({ id: m.id, error: (err as Error).message });
  }
});
