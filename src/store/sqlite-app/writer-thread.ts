/** The store's writer thread (writer.ts): one connection, one transaction per message. */
import Database from 'better-sqlite3';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
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

type Message = { id: number; type: string; orgId: string; lines: never; events: never; batch: never };

function handle(m: Message): void {
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
}

/**
 * Alert/incident saves overtake event appends still waiting: a save is a few rows, an append
 * thousands of events (tens of milliseconds), and every alert's latency includes its save. Safe:
 * a save names only events whose append committed before detection saw them, and saves keep
 * their order among themselves, as appends do.
 */
const saves: Message[] = [];
const appends: Message[] = [];
let stopping = false;
const take = (m: Message) => {
  if (m.type === 'stop') stopping = true;
  else (m.type === 'rows' ? saves : appends).push(m);
};
const pull = () => {
  for (let r = receiveMessageOnPort(port); r; r = receiveMessageOnPort(port)) take(r.message as Message);
};

port.on('message', (m: Message) => {
  take(m);
  pull();
  while (saves.length || appends.length) {
    handle(saves.length ? saves.shift()! : appends.shift()!);
    pull();
  }
  if (stopping) {
    db.close();
    process.exit(0);
  }
});
