/**
 * The PHI guard every STIX object passes before it leaves Ward (TAXII responses, pushes, exports).
 * All string values are scanned, recursively, including extensions and custom properties; the
 * report names where something was found (JSON path + kind), never the value itself, so the report
 * can be logged and shown without becoming a second leak.
 */
import { appendAll } from '../../util/index.js';
import { BIRTH_DATE_KEY, buildDetectors, type Detector, type PhiConfig, type PhiKind } from './detectors.js';

export interface PhiFinding {
  /** Id of the object (when it has one). */
  object?: string;
  /** JSON path within the object, e.g. `description`, `extensions.x-foo.notes[2]`. */
  path: string;
  kind: PhiKind;
  count: number;
}

export interface PhiResult {
  /** Objects allowed out (redacted copies in 'redact' mode). */
  objects: Record<string, unknown>[];
  /** Ids of objects withheld ('block' mode, or an identifier in a property that cannot be redacted). */
  blocked: string[];
  findings: PhiFinding[];
}

/** Values that are STIX identifiers (type--UUID) are not free text: they cannot hold PHI. */
const STIX_ID = /^[a-z0-9][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STIX_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
/** Properties whose redaction would corrupt the object; a finding there blocks the object. */
const UNREDACTABLE = new Set(['id', 'type', 'spec_version', 'created', 'modified']);
const MAX_DEPTH = 100;

/** Own data property, even for a key named __proto__ (no prototype change). */
function define(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export class PhiGuard {
  private readonly detectors: Detector[];
  readonly mode: 'redact' | 'block';

  constructor(config: PhiConfig = {}) {
    this.detectors = buildDetectors(config);
    this.mode = config.mode ?? 'redact';
  }

  /** Scans one string; returns the redacted text and the kinds found (with counts). */
  scanText(text: string, key?: string): { text: string; found: Map<PhiKind, number> } {
    const found = new Map<PhiKind, number>();
    let out = text;
    if (key && BIRTH_DATE_KEY.test(key) && text.trim() !== '') {
      found.set('dob', 1);
      return { text: '[REDACTED:dob]', found };
    }
    const hasDigit = /\d/.test(text);
    let lower: string | undefined;
    for (const d of this.detectors) {
      if (d.needsDigit && !hasDigit) continue;
      if (d.hint && !d.hint((lower ??= out.toLowerCase()))) continue;
      d.re.lastIndex = 0;
      if (!d.re.test(out)) continue;
      d.re.lastIndex = 0;
      out = out.replace(d.re, () => {
        found.set(d.kind, (found.get(d.kind) ?? 0) + 1);
        return `[REDACTED:${d.kind}]`;
      });
    }
    return { text: out, found };
  }

  /** Findings in one object, without changing it. */
  scan(object: Record<string, unknown>): PhiFinding[] {
    return this.redactObject(object).findings;
  }

  /** A redacted copy of one object, its findings, and whether it must be blocked instead. */
  redactObject(object: Record<string, unknown>): { object: Record<string, unknown>; findings: PhiFinding[]; mustBlock: boolean } {
    const findings: PhiFinding[] = [];
    const objectId = typeof object.id === 'string' ? object.id : undefined;
    let mustBlock = false;
    const walk = (value: unknown, path: string, key: string | undefined, depth: number): unknown => {
      if (depth > MAX_DEPTH) {
        // Deeper than any real STIX object: do not trust what we did not scan.
        mustBlock = true;
        findings.push({ object: objectId, path, kind: 'unscanned', count: 1 });
        return value;
      }
      if (typeof value === 'string') {
        // Identifiers and STIX timestamps are not free text (a birth date is caught by its key).
        if (STIX_ID.test(value) || (STIX_TS.test(value) && !(key && BIRTH_DATE_KEY.test(key)))) return value;
        const { text, found } = this.scanText(value, key);
        for (const [kind, count] of found) {
          findings.push({ object: objectId, path, kind, count });
          if (depth === 1 && key && UNREDACTABLE.has(key)) mustBlock = true;
        }
        return text;
      }
      // Copy-on-write: an object without findings is returned as it is, without allocation.
      if (Array.isArray(value)) {
        let out: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const v = walk(value[i], `${path}[${i}]`, key, depth + 1);
          if (v !== value[i] && !out) out = value.slice(0, i);
          out?.push(v);
        }
        return out ?? value;
      }
      if (value && typeof value === 'object') {
        const entries = Object.entries(value as Record<string, unknown>);
        let out: Record<string, unknown> | undefined;
        for (let i = 0; i < entries.length; i++) {
          const [k, v] = entries[i];
          const w = walk(v, path ? `${path}.${k}` : k, k, depth + 1);
          if (w !== v && !out) {
            out = {};
            for (let j = 0; j < i; j++) define(out, entries[j][0], entries[j][1]);
          }
          if (out) define(out, k, w);
        }
        return out ?? value;
      }
      return value;
    };
    const redacted = walk(object, '', undefined, 0) as Record<string, unknown>;
    return { object: redacted, findings, mustBlock };
  }

  /** Guards a batch: redacts or blocks, and reports what was removed. */
  guard(objects: readonly Record<string, unknown>[]): PhiResult {
    const result: PhiResult = { objects: [], blocked: [], findings: [] };
    for (const obj of objects) {
      const r = this.redactObject(obj);
      appendAll(result.findings, r.findings);
      if (r.findings.length === 0) result.objects.push(obj);
      else if (this.mode === 'block' || r.mustBlock) result.blocked.push(typeof obj.id === 'string' ? obj.id : '(no id)');
      else result.objects.push(r.object);
    }
    return result;
  }
}

/** One line per finding, safe to log: "indicator--…: description: name ×2". */
export function formatFindings(findings: readonly PhiFinding[]): string[] {
  return findings.map((f) => `${f.object ?? '(object)'}: ${f.path || '(root)'}: ${f.kind}${f.count > 1 ? ` ×${f.count}` : ''}`);
}
