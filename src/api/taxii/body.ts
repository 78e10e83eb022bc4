/**
 * Request bodies from untrusted peers: size-limited while streaming (413 before the whole body is
 * held in memory), strict UTF-8, JSON errors reported with their position, nesting depth bounded
 * (checked iteratively, so a hostile '[[[[…' cannot exhaust the stack of later recursive walks).
 */
import { TaxiiHttpError, badRequest } from './errors.js';

export const MAX_DEPTH = 64;

export async function readLimited(req: Request, max: number): Promise<string> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    throw new TaxiiHttpError(413, 'Payload Too Large', `the body (${declared} bytes) exceeds max_content_length ${max}`);
  }
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw new TaxiiHttpError(413, 'Payload Too Large', `the body exceeds max_content_length ${max}`);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw badRequest('the body is not valid UTF-8');
  }
}

function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (d > max) return true;
    if (v && typeof v === 'object') {
      for (const child of Object.values(v as object)) if (child && typeof child === 'object') stack.push([child, d + 1]);
    }
  }
  return false;
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw badRequest('the body is empty; expected a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8 messages name the position ("… in JSON at position 17"); keep them short.
    throw badRequest(`the body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  if (depthExceeds(value, MAX_DEPTH)) throw badRequest(`the body nests deeper than ${MAX_DEPTH} levels`);
  return value;
}

/** The objects of a TAXII envelope or a STIX bundle (STIX 2.1 §8). */
export function objectsOf(body: unknown, kind: 'taxii' | 'stix'): unknown[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body must be a JSON object (a TAXII envelope or a STIX bundle)');
  const b = body as Record<string, unknown>;
  if (kind === 'stix' && b.type !== 'bundle') throw badRequest(`application/stix+json bodies must be a STIX bundle (type "bundle"), not "${String(b.type).slice(0, 40)}"`);
  if (b.objects === undefined) throw badRequest('the body has no "objects" list');
  if (!Array.isArray(b.objects)) throw badRequest('"objects" must be a list');
  return b.objects;
}
