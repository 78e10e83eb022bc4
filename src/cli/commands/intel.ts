import { Command, Option } from 'commander';
import { createWriteStream, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { preparePush, pull, push, TaxiiClient, type TaxiiCredentials } from '../../share/index.js';
import { formatFindings, parseTlpName, RELATIONS, type PhiConfig, type Relation, type TlpLevel } from '../../stix/index.js';
import { WardError } from '../../util/index.js';

/** Options shared by `ward intel` and `ward taxii`. */
export function dataDir(o: { data?: string }): string {
  return o.data ?? process.env.WARD_DATA ?? 'ward-data';
}

export function usage(message: string): WardError {
  return new WardError('usage', message);
}

/** commander argument parser for a positive integer option. */
export function positiveInt(flag: string): (v: string) => number {
  return (v) => {
    if (!/^\d{1,12}$/.test(v) || Number(v) < 1) throw usage(`${flag}: '${v}' is not a positive integer`);
    return Number(v);
  };
}

export function tlpLevel(name: string | undefined): TlpLevel | undefined {
  if (name === undefined) return undefined;
  const l = parseTlpName(name);
  if (!l) throw usage(`--unmarked: '${name}' is not a TLP level (clear, green, amber, amber+strict, red)`);
  return l;
}

/** PHI guard settings from --patients FILE (one name per line, # comments) and --mrn REGEX. */
export function phiConfig(o: { patients?: string; mrn?: string[] }, mode: 'redact' | 'block'): PhiConfig {
  const cfg: PhiConfig = { mode };
  if (o.patients) {
    let text: string;
    try {
      text = readFileSync(o.patients, 'utf8');
    } catch (e) {
      throw new WardError('usage', `--patients: cannot read ${o.patients}: ${(e as Error).message}`);
    }
    cfg.patientNames = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  }
  if (o.mrn?.length) {
    cfg.mrnPatterns = o.mrn.map((src) => {
      try {
        return new RegExp(src, 'gi');
      } catch (e) {
        throw usage(`--mrn: '${src}' is not a valid regular expression: ${(e as Error).message}`);
      }
    });
  }
  return cfg;
}

function credentials(o: { token?: string; user?: string }): TaxiiCredentials {
  const token = o.token ?? process.env.WARD_TAXII_TOKEN;
  if (token) return { token };
  if (o.user) {
    const password = process.env.WARD_TAXII_PASSWORD;
    if (password === undefined) throw usage('--user needs the password in the environment variable WARD_TAXII_PASSWORD');
    return { user: o.user, password };
  }
  return {};
}

/** Objects of a STIX bundle, a TAXII envelope or a plain JSON array. */
export function readStixFile(file: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new WardError('usage', `cannot read ${file}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new WardError('intel-bad-file', `not valid JSON: ${(e as Error).message}`, { file });
  }
  const list = Array.isArray(data) ? data : (data as { objects?: unknown } | null)?.objects;
  if (!Array.isArray(list)) throw new WardError('intel-bad-file', 'expected a STIX bundle, a TAXII envelope or a JSON array of objects', { file });
  return list.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x));
}

function intelCommand(program: Command): Command {
  // `ward intel` may also be extended by other modules (e.g. MISP import): reuse it when present.
  return program.commands.find((c) => c.name() === 'intel') ?? program.command('intel').description('Share threat intelligence: pull from and push to TAXII 2.1 servers');
}

function addAuthOptions(cmd: Command): Command {
  return cmd
    .option('--token <token>', 'bearer token (or set WARD_TAXII_TOKEN)')
    .option('--user <name>', 'HTTP Basic user; the password is read from WARD_TAXII_PASSWORD');
}

export function register(program: Command): void {
  const intel = intelCommand(program);

  addAuthOptions(
    intel
      .command('pull')
      .description('Fetch new objects of a TAXII 2.1 collection (incremental: resumes after the last pull)')
      .argument('<url>', 'discovery URL (…/taxii2/) or API root URL')
      .requiredOption('--collection <id>', 'collection id (or alias)'),
  )
    .option('--data <dir>', 'data directory holding the pull position (default ./ward-data or WARD_DATA)')
    .option('-o, --out <file>', 'write the objects to this STIX bundle (default <data>/intel/pulled/<collection>-<time>.json)')
    .option('--full', 'ignore the saved position and fetch everything')
    .option('--type <types...>', 'only these STIX types (match[type])')
    .option('--page-size <n>', 'objects per request', positiveInt('--page-size'))
    .addHelpText('after', '\nThe position (X-TAXII-Date-Added-Last) is saved per server and collection in <data>/taxii-pull-state.json\nonly after all pages were written, so an interrupted pull repeats rather than skips objects.')
    .action(async (url: string, o) => {
      const client = new TaxiiClient(url, credentials(o));
      const dir = dataDir(o);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const out = o.out ?? join(dir, 'intel', 'pulled', `${String(o.collection).replace(/[^\w.-]/g, '_')}-${stamp}.json`);
      // Objects go to <out>.partial, renamed when the pull is complete and before the position is
      // saved: a failed pull leaves no half-written bundle and does not advance.
      const partial = `${out}.partial`;
      let stream: ReturnType<typeof createWriteStream> | undefined;
      let first = true;
      const finish = async () => {
        if (!stream) return;
        const s = stream;
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.end('\n]}\n', () => resolve());
        });
      };
      let res;
      try {
        res = await pull(client, {
          collection: o.collection,
          dataDir: dir,
          full: o.full,
          pageSize: o.pageSize,
          filter: o.type ? { types: o.type } : undefined,
          onPage: async (objects) => {
            if (!stream) {
              mkdirSync(dirname(out), { recursive: true });
              stream = createWriteStream(partial);
              stream.write(`{"type":"bundle","id":"bundle--${randomUUID()}","objects":[\n`);
            }
            let ok = true;
            for (const obj of objects) {
              ok = stream.write(`${first ? '' : ',\n'}${JSON.stringify(obj)}`);
              first = false;
            }
            if (!ok) await once(stream, 'drain'); // back-pressure: one page in memory at most
          },
          beforeSave: async () => {
            await finish();
            if (stream) renameSync(partial, out);
          },
        });
      } catch (e) {
        if (stream) {
          stream.destroy();
          rmSync(partial, { force: true });
        }
        throw e;
      }
      process.stdout.write(
        `${res.objects} objects in ${res.pages} page(s)${res.addedAfter ? ` added after ${res.addedAfter}` : ''}${stream ? ` → ${out}` : ''}${res.lastAdded ? `; next pull resumes after ${res.lastAdded}` : ''}\n`,
      );
    });

  addAuthOptions(
    intel
      .command('push')
      .description('Send STIX objects to a TAXII 2.1 collection, after the TLP check and the PHI guard')
      .argument('<url>', 'discovery URL (…/taxii2/) or API root URL')
      .argument('<file>', 'STIX bundle, TAXII envelope or JSON array of objects')
      .requiredOption('--collection <id>', 'collection id'),
  )
    .addOption(new Option('--audience <relation>', 'who the receiving server shares with (TLP audience)').choices([...RELATIONS]).default('community'))
    .option('--recipient <identity>', "the receiving organisation's identity id (RED objects naming it are sent)")
    .option('--unmarked <level>', 'TLP level assumed for unmarked objects (default amber)')
    .option('--redact', 'redact patient identifiers instead of withholding the objects that contain them')
    .option('--patients <file>', 'patient names to guard, one per line')
    .option('--mrn <regex...>', 'medical record number patterns (default: "MRN" followed by digits)')
    .option('--anonymous-as <identity...>', "share anonymously: replace these identities (your organisation's) by the anonymous identity")
    .option('--dry-run', 'show what would be sent and withheld, send nothing')
    .addHelpText('after', '\nObjects the audience may not read under TLP are withheld; objects with patient identifiers are withheld\n(or redacted with --redact). The report names object ids, properties and kinds, never the values.\nExit code: 0 when everything sent was accepted, 1 when the server refused some objects.')
    .action(async (url: string, file: string, o) => {
      const objects = readStixFile(file);
      const options = {
        collection: o.collection as string,
        audience: o.audience as Relation,
        recipient: o.recipient as string | undefined,
        tlp: { unmarked: tlpLevel(o.unmarked) },
        phi: phiConfig(o, o.redact ? 'redact' : 'block'),
        anonymizeIdentities: o.anonymousAs as string[] | undefined,
      };
      const report = (withheldTlp: string[], withheldPhi: string[], findings: ReturnType<typeof preparePush>['phiFindings']) => {
        for (const id of withheldTlp) process.stderr.write(`withheld (TLP, not for ${options.audience}): ${id}\n`);
        for (const id of withheldPhi) process.stderr.write(`withheld (PHI): ${id}\n`);
        for (const line of formatFindings(findings)) process.stderr.write(`PHI ${o.redact ? 'redacted' : 'found'}: ${line}\n`);
      };
      if (o.dryRun) {
        const p = preparePush(objects, options);
        report(p.withheldTlp, p.withheldPhi, p.phiFindings);
        process.stdout.write(`dry run: would send ${p.objects.length} of ${objects.length} objects\n`);
        return;
      }
      const res = await push(new TaxiiClient(url, credentials(o)), objects, options);
      report(res.withheldTlp, res.withheldPhi, res.phiFindings);
      for (const f of res.failed) process.stderr.write(`refused by the server: ${f.id}: ${f.message}\n`);
      process.stdout.write(`sent ${res.sent} of ${objects.length} objects, ${res.succeeded} accepted, ${res.failed.length} refused (status ${res.statuses.join(', ') || 'none'})\n`);
      process.exitCode = res.failed.length ? 1 : 0;
    });
}
