/**
 * `ward intel push`: send STIX objects to a peer's collection, but only after
 *  1. the TLP check: objects the peer's audience may not receive are withheld (FIRST TLP 2.0;
 *     pushing to another organisation's server is sharing with the community by default);
 *  2. anonymisation when asked (the organisation's identity replaced by the anonymous one);
 *  3. the PHI guard: block (default) or redact patient identifiers;
 *  4. a final check that no marking was weakened on the way.
 * Large sets are split so each request stays under the server's max_content_length.
 */
import {
  anonymize, assertNotWeakened, canRead, PhiGuard, type PhiConfig, type PhiFinding, type Relation, type TlpPolicyOptions,
} from '../stix/index.js';
import type { TaxiiClient } from './client.js';

export interface PushOptions {
  collection: string;
  /** The audience the receiving server represents (default 'community'). */
  audience?: Relation;
  /** Identity of the receiving organisation, for RED objects that name it as a recipient. */
  recipient?: string;
  tlp?: TlpPolicyOptions;
  phi?: PhiConfig;
  /** Organisation identities to withhold (anonymous sharing). */
  anonymizeIdentities?: string[];
  /** Objects per request at most (also split by max_content_length). */
  batch?: number;
}

export interface PushResult {
  sent: number;
  succeeded: number;
  failed: { id: string; message: string }[];
  withheldTlp: string[];
  withheldPhi: string[];
  phiFindings: PhiFinding[];
  statuses: string[];
}

export interface PreparedPush {
  objects: Record<string, unknown>[];
  withheldTlp: string[];
  withheldPhi: string[];
  phiFindings: PhiFinding[];
}

/** Everything but the network: what would be sent, and what is withheld and why. */
export function preparePush(input: readonly Record<string, unknown>[], o: Omit<PushOptions, 'collection' | 'batch'>): PreparedPush {
  const viewer = { relation: o.audience ?? 'community', ...(o.recipient ? { identity: o.recipient } : {}) } as const;
  const withheldTlp: string[] = [];
  const allowed: Record<string, unknown>[] = [];
  for (const obj of input) {
    if (canRead(obj, viewer, o.tlp)) allowed.push(obj);
    else withheldTlp.push(String(obj.id));
  }
  const originals = new Map(allowed.map((x) => [String(x.id), x]));
  const shaped = o.anonymizeIdentities?.length ? anonymize(allowed, o.anonymizeIdentities) : allowed;
  const guard = new PhiGuard({ mode: 'block', ...o.phi });
  const r = guard.guard(shaped);
  for (const obj of r.objects) {
    const orig = originals.get(String(obj.id));
    if (orig) assertNotWeakened(orig, obj, o.tlp);
  }
  return { objects: r.objects, withheldTlp, withheldPhi: r.blocked, phiFindings: r.findings };
}

export async function push(client: TaxiiClient, input: readonly Record<string, unknown>[], o: PushOptions): Promise<PushResult> {
  const prepared = preparePush(input, o);
  const info = await client.apiRootInfo();
  const maxBytes = typeof info.max_content_length === 'number' ? info.max_content_length : 10 * 1024 * 1024;
  const result: PushResult = {
    sent: 0, succeeded: 0, failed: [], withheldTlp: prepared.withheldTlp, withheldPhi: prepared.withheldPhi,
    phiFindings: prepared.phiFindings, statuses: [],
  };
  const batchMax = o.batch ?? 1000;
  let batch: Record<string, unknown>[] = [];
  let bytes = 20;
  const flush = async () => {
    if (!batch.length) return;
    const status = await client.addObjects(o.collection, batch);
    result.sent += batch.length;
    result.statuses.push(String(status.id));
    result.succeeded += Number(status.success_count ?? 0);
    for (const f of (status.failures as { id: string; message?: string }[] | undefined) ?? []) result.failed.push({ id: f.id, message: f.message ?? '' });
    batch = [];
    bytes = 20;
  };
  for (const obj of prepared.objects) {
    const size = Buffer.byteLength(JSON.stringify(obj)) + 1;
    if (size + 20 > maxBytes) {
      result.failed.push({ id: String(obj.id), message: `larger than the server's max_content_length (${maxBytes} bytes)` });
      continue;
    }
    if (batch.length >= batchMax || bytes + size > maxBytes) await flush();
    batch.push(obj);
    bytes += size;
  }
  await flush();
  return result;
}
