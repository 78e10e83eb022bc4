/**
 * `npm run bench -- serve`: sustained HTTP ingestion into `ward serve` with storage (SQLite,
 * synchronous=FULL unless WARD_SYNC=NORMAL) and live detection (Ward's own rule pack) on;
 * WARD_DETECTION_THREADS sets the detection threads (default as `ward serve`: defaultDetectionThreads).
 * Prints events/s, p50/p99 event-to-alert latency (receipt → alert committed), RSS over the run,
 * and the ratio against the bare detection rate (normalize + Sigma, no HTTP, no storage) measured
 * in the same process. Duration: WARD_BENCH_SECONDS (default 20; the issue's target run is 300).
 * The load generator is a separate process (4 keep-alive connections posting pre-encoded NDJSON
 * bodies), so the server's figures and RSS are its own; it shares the machine's cores.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalize } from '../src/normalize/index.js';
import { loadConfig, sigmaRuleLoader, startWard } from '../src/serve/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function sampleEvents(): string[] {
  const dir = join(root, 'examples');
  const lines: string[] = [];
  for (const f of readdirSync(dir).filter((x) => /\.(jsonl|ndjson)$/.test(x))) {
    for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) if (l.trim()) lines.push(l);
  }
  if (lines.length === 0) throw new Error('no example events (run scripts/gen-examples.ts)');
  return lines;
}

export default async function (): Promise<void> {
  const seconds = Number(process.env.WARD_BENCH_SECONDS ?? 20);
  const lines = sampleEvents();
  const batchSize = 5000;
  const bodies: string[] = [];
  for (let b = 0; b < 8; b++) {
    const out: string[] = [];
    for (let i = 0; i < batchSize; i++) out.push(lines[(b * batchSize + i) % lines.length]);
    bodies.push(out.join('\n'));
  }

  // Peer: bare detection in this process (same events, same rules), measured before and after
  // the run; the machine's load can change during a long run, so both are printed.
  const loaded = await sigmaRuleLoader([])();
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const bare = (): number => {
    const det = loaded.createDetector('bench');
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 3000) {
      for (let i = 0; i < parsed.length; i++) det.process(normalize(parsed[i], { record: i }, ''));
      n += parsed.length;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  const load0 = loadavg().map((l) => l.toFixed(2)).join(' ');
  const bareBefore = bare();

  const dir = mkdtempSync(join(tmpdir(), 'ward-bench-serve-'));
  const cfg = loadConfig({ env: {}, flags: { port: 0, data: dir }, cwd: dir });
  if (process.env.WARD_SYNC?.toUpperCase() === 'NORMAL') cfg.synchronous = 'NORMAL';
  if (process.env.WARD_DETECTION_THREADS) cfg.detectionThreads = Number(process.env.WARD_DETECTION_THREADS);
  const token = 'ward_bench_token_0123456789abcdef';
  const ward = await startWard(cfg, {
    ruleLoader: sigmaRuleLoader([]),
    env: { WARD_ADMIN_TOKEN: token, WARD_ADMIN_PASSWORD: 'bench password 123' },
    log: () => undefined,
  });
  const rss: number[] = [];
  const heap: number[] = [];
  const external: number[] = [];
  const rssTimer = setInterval(() => {
    const m = process.memoryUsage();
    rss.push(m.rss);
    heap.push(m.heapUsed);
    external.push(m.external + m.arrayBuffers);
  }, 1000);
  const files = bodies.map((b, i) => {
    const f = join(dir, `body-${i}.ndjson`);
    writeFileSync(f, b);
    return f;
  });
  const client = spawn(process.execPath, ['-e', CLIENT, ward.url, token, ...files], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  client.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => client.once('exit', () => r()));
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  client.stdin.end('stop\n');
  await exited;
  const { accepted, refused, cpuUs, requestP50, requestP99 } = JSON.parse(out) as {
    accepted: number; refused: number; cpuUs: number; requestP50: number; requestP99: number;
  };
  const elu = performance.eventLoopUtilization(elu0);
  await ward.pipeline.idle();
  const cpu = process.cpuUsage(cpu0);
  const elapsed = (performance.now() - start) / 1000;
  clearInterval(rssTimer);
  const bareAfter = bare();
  const bareRate = (bareBefore + bareAfter) / 2;
  const rate = accepted / elapsed;
  const p50 = ward.pipeline.latency.percentile(50);
  const p99 = ward.pipeline.latency.percentile(99);
  const p90 = ward.pipeline.latency.percentile(90);
  const pmax = ward.pipeline.latency.percentile(100);
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  const third = Math.max(1, Math.floor(rss.length / 3));
  const early = Math.max(...rss.slice(0, third));
  const late = Math.max(...rss.slice(-third));
  console.log(`rules: ${loaded.rules.length}; events: example logs (${lines.length} distinct), batches of ${batchSize} NDJSON, 4 concurrent posters (separate process)`);
  console.log(`storage: SQLite WAL synchronous=${cfg.synchronous}; detection: ${ward.pipeline.detection === 'worker' ? `${ward.pipeline.threads} worker thread(s)` : 'main thread'}; run: ${elapsed.toFixed(1)} s`);
  console.log(`HTTP ingest with storage + detection: ${Math.round(rate).toLocaleString()} events/s (${accepted.toLocaleString()} accepted, ${refused} batches refused with 429/503)`);
  console.log(`detections: ${ward.pipeline.counters.detections.toLocaleString()}; event-to-alert latency over the run p50 ${p50 ?? '-'} ms, p90 ${p90 ?? '-'} ms, p99 ${p99 ?? '-'} ms, max ${pmax ?? '-'} ms (receipt to alert committed)`);
  console.log(`POST round trip seen by the sender (includes waiting for room when detection is behind): p50 ${requestP50} ms, p99 ${requestP99} ms`);
  const perEvent = (us: number) => (us / Math.max(1, accepted)).toFixed(1);
  console.log(`CPU: server ${((cpu.user + cpu.system) / 1e6 / elapsed).toFixed(2)} cores (${perEvent(cpu.user)} us user + ${perEvent(cpu.system)} us system per event), load generator ${(cpuUs / 1e6 / elapsed).toFixed(2)} cores; machine: ${availableParallelism()} cores, load average before ${load0}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const c = ward.pipeline.counters;
  console.log(`main thread (HTTP, validation, results): event loop ${(elu.utilization * 100).toFixed(0)} % busy`);
  console.log(`detection thread(s): ${((c.detectBusyMs / 1000 / elapsed) * 100).toFixed(0)} % busy in all, ${((c.detectBusyMs * 1000) / Math.max(1, c.detected)).toFixed(1)} us of a thread per event (parse + normalize + rules); ${c.screened.toLocaleString()} events skipped unparsed by the rules' raw prescreen`);
  console.log(`bare detection (normalize + Sigma, same process): ${Math.round(bareBefore).toLocaleString()} events/s before, ${Math.round(bareAfter).toLocaleString()} after`);
  console.log(`ratio ingest/bare detection (mean of before and after): ${(rate / bareRate).toFixed(2)}`);
  console.log(`RSS: peak ${mb(Math.max(...rss))} MB; first third peak ${mb(early)} MB, last third peak ${mb(late)} MB (growth ${(((late - early) / early) * 100).toFixed(1)} %)`);
  const thirds = (xs: number[]) => `${mb(Math.max(...xs.slice(0, third)))} → ${mb(Math.max(...xs.slice(-third)))} MB`;
  const low = (xs: number[]) => `${mb(Math.min(...xs.slice(0, third)))} → ${mb(Math.min(...xs.slice(-third)))} MB`;
  console.log(`main-thread heap used, first → last third: peak ${thirds(heap)}, low ${low(heap)} (live data after collections); external + array buffers peak ${thirds(external)}`);
  // The trend: peak RSS in each tenth of the run (V8 sizes its heap up while warming, then holds).
  const tenth = Math.max(1, Math.floor(rss.length / 10));
  const trend: string[] = [];
  for (let i = 0; i + tenth <= rss.length; i += tenth) trend.push(mb(Math.max(...rss.slice(i, i + tenth))));
  console.log(`RSS peak per tenth of the run (MB): ${trend.join(' ')}`);
  console.log(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
  await ward.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The load generator (plain JS, run with `node -e`): posts the bodies round-robin until told to stop. */
const CLIENT = `
const http = require('node:http');
const fs = require('node:fs');
const [url, token, ...files] = process.argv.slice(1);
const bodies = files.map((f) => fs.readFileSync(f));
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let stop = false, accepted = 0, refused = 0;
const times = [];
process.stdin.on('data', () => (stop = true));
const post = (body) => new Promise((resolve, reject) => {
  const req = http.request(url + '/api/v1/events', { method: 'POST', agent, headers: {
    authorization: 'Bearer ' + token, 'content-type': 'application/x-ndjson', 'content-length': body.length } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
  });
  req.on('error', reject);
  req.end(body);
});
const poster = async (k) => {
  for (let i = k; !stop; i++) {
    const t0 = performance.now();
    const r = await post(bodies[i % bodies.length]);
    times.push(performance.now() - t0);
    if (r.status === 200) accepted += JSON.parse(r.text).accepted;
    else { refused++; await new Promise((res) => setTimeout(res, 50)); }
  }
};
Promise.all([0, 1, 2, 3].map(poster)).then(() => { const u = process.cpuUsage();
  times.sort((a, b) => a - b);
  const pct = (p) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0);
  process.stdout.write(JSON.stringify({ accepted, refused, cpuUs: u.user + u.system, requestP50: pct(0.5), requestP99: pct(0.99) })); process.exit(0); });
`;
