import {
  compareVersions, evaluate, latestVersions, leafObservations, matchingObjects, parseCidr, patternTypes,
  type Indicator, type PreparedObservation, type StixObject,
} from '../../stix/index.js';
import type { WardEvent } from '../../normalize/index.js';
import type { Detection, Detector } from '../types.js';
import { compileIndicator, type CompiledIndicator, type IntelProblem } from './compile.js';
import { defaultMapping, type PathMapping } from './mapping.js';
import { eventObservation, EventValues, FieldRouter, type FieldHit } from './observe.js';
import { DomainIndex, IpIndex, ValueIndex } from './sets.js';

export interface IntelOptions {
  /** Field mapping; default data/mappings/stix.yaml. */
  mapping?: PathMapping[];
  /** Domain indicators also match subdomains (default true). */
  subdomains?: boolean;
  /** Match expired indicators too (valid_until in the past). Revoked ones never match. */
  ignoreValidity?: boolean;
  /** Time used for events without a timestamp (default: the wall clock). */
  now?: () => number;
  /** Observations kept per multi-observation indicator (FOLLOWEDBY, REPEATS …); default 256. */
  maxBuffer?: number;
  /**
   * Read every mapped field of every event even before any indicator needs it (a long-running
   * `serve` that receives intel later; also the fair baseline of the benchmark). Default false:
   * only paths some indicator uses are read.
   */
  armAllPaths?: boolean;
}

export interface IntelStats {
  indicators: number;
  /** answered by the indexed sets */
  simple: number;
  /** single-observation patterns evaluated by the matcher */
  complex: number;
  /** patterns over several observations, evaluated by the matcher over a bounded buffer */
  multi: number;
  skipped: number;
}

export interface IntelDetector extends Detector {
  readonly problems: IntelProblem[];
  stats(): IntelStats;
  /** Loads more indicators; a newer version of a loaded id replaces it, a revoked one removes it. */
  add(objects: Iterable<StixObject>): void;
}

type AnyIndex = { kind: 'value'; idx: ValueIndex } | { kind: 'domain'; idx: DomainIndex } | { kind: 'ip'; idx: IpIndex };

interface Hit {
  fields: Record<string, unknown>;
  notes: string[];
}

interface MultiState {
  ind: CompiledIndicator;
  buffer: { obs: PreparedObservation; event: WardEvent }[];
  fired: Set<string>;
}

class IntelMatcher implements IntelDetector {
  readonly name = 'intel';
  readonly problems: IntelProblem[] = [];
  private readonly mapping: PathMapping[];
  private readonly byKey = new Map<string, PathMapping>();
  private readonly indexes = new Map<string, AnyIndex>();
  /** armed (mapping, index) pairs, in mapping order: only paths some indicator uses are read. */
  private armed: { m: PathMapping; index: AnyIndex }[] = [];
  /** Field routing for the armed mappings only, or for all when the matcher needs whole observations. */
  private router = new FieldRouter([]);
  /** mapping index → its indexed set, when some indicator (or armAllPaths) uses that path. */
  private indexByMapping: (AnyIndex | undefined)[] = [];
  private readonly mappingAt: PathMapping[] = [];
  private readonly slots: (CompiledIndicator | undefined)[] = [];
  private readonly byId = new Map<string, CompiledIndicator>();
  private complex: { ind: CompiledIndicator; types: Set<string> }[] = [];
  private multi: MultiState[] = [];
  private skipped = 0;
  private readonly revoked = new Map<string, Indicator>();
  private readonly scratchSlots: number[] = [];
  private readonly scratchTags: unknown[] = [];

  constructor(
    objects: Iterable<StixObject>,
    private readonly opts: IntelOptions,
  ) {
    this.mapping = opts.mapping ?? defaultMapping();
    for (const m of this.mapping) this.byKey.set(m.key, m);
    this.add(objects);
  }

  stats(): IntelStats {
    let simple = 0;
    for (const s of this.slots) if (s?.simple) simple++;
    return { indicators: this.byId.size, simple, complex: this.complex.length, multi: this.multi.length, skipped: this.skipped };
  }

  add(objects: Iterable<StixObject>): void {
    const indicators: Indicator[] = [];
    for (const o of objects) if (o && o.type === 'indicator') indicators.push(o as Indicator);
    const { latest } = latestVersions(indicators);
    for (const ind of latest) {
      // §3.2: a revoked object stays revoked; older versions arriving later do not bring it back.
      const revokedAt = this.revoked.get(ind.id);
      if (revokedAt && compareVersions(revokedAt, ind) >= 0) continue;
      const have = this.byId.get(ind.id);
      if (have) {
        if (compareVersions(have.version, ind) >= 0) continue;
        this.remove(have);
      }
      if (ind.revoked === true) {
        this.revoked.set(ind.id, ind);
        this.skipped++;
        this.problems.push({ id: ind.id, code: 'revoked', message: 'revoked indicator ignored (STIX 2.1 §3.2)' });
        continue;
      }
      const r = compileIndicator(ind, this.slots.length, this.byKey);
      if (!('compiled' in r)) {
        this.skipped++;
        this.problems.push(r);
        continue;
      }
      const c = r.compiled;
      this.slots.push(c);
      this.byId.set(ind.id, c);
      if (r.terms) for (const t of r.terms) this.indexTerm(t.key, t.value, c.slot);
      else if (c.multi) this.multi.push({ ind: c, buffer: [], fired: new Set() });
      else this.complex.push({ ind: c, types: patternTypes(c.pattern!) });
    }
    if (this.opts.armAllPaths) for (const m of this.mapping) if (!this.indexes.has(m.key)) this.indexes.set(m.key, this.emptyIndex(m));
    this.armed = this.mapping.filter((m) => this.indexes.has(m.key)).map((m) => ({ m, index: this.indexes.get(m.key)! }));
    this.indexByMapping = [];
    for (const m of this.mapping) {
      this.mappingAt[m.index] = m;
      this.indexByMapping[m.index] = this.indexes.get(m.key);
    }
    this.router = new FieldRouter(this.complex.length || this.multi.length ? this.mapping : this.armed.map((a) => a.m));
  }

  private remove(c: CompiledIndicator): void {
    this.slots[c.slot] = undefined;
    this.byId.delete(c.id);
    this.complex = this.complex.filter((x) => x.ind !== c);
    this.multi = this.multi.filter((x) => x.ind !== c);
  }

  private emptyIndex(m: PathMapping): AnyIndex {
    return m.normalize === 'ip' ? { kind: 'ip', idx: new IpIndex() }
      : m.normalize === 'domain' ? { kind: 'domain', idx: new DomainIndex(this.opts.subdomains ?? true) }
      : { kind: 'value', idx: new ValueIndex(m.normalize) };
  }

  private indexTerm(key: string, value: string, slot: number): void {
    let index = this.indexes.get(key);
    if (!index) this.indexes.set(key, (index = this.emptyIndex(this.byKey.get(key)!)));
    if (index.kind === 'ip') index.idx.add(parseCidr(value)!, slot);
    else index.idx.add(value, slot);
  }

  private live(slot: number, at: number): CompiledIndicator | undefined {
    const c = this.slots[slot];
    if (!c) return undefined;
    // §4.7 valid_until: the indicator no longer applies to events after that time.
    if (!this.opts.ignoreValidity && c.validUntil !== undefined && c.validUntil <= at) return undefined;
    return c;
  }

  process(event: WardEvent): Detection[] {
    if (this.router.empty) return [];
    const at = event.timestamp ?? (this.opts.now ?? Date.now)();
    const values = new EventValues(event, this.router);
    let hits: Map<number, Hit> | undefined;
    const slots = this.scratchSlots;
    const tags = this.scratchTags;
    const touched = values.touched();
    for (let t = 0; t < touched.length; t++) {
      const index = this.indexByMapping[touched[t]];
      if (index === undefined) continue;
      const m = this.mappingAt[touched[t]];
      const vals = values.of(m);
      for (let i = 0; i < vals.length; i++) {
        const h = vals[i];
        slots.length = 0;
        tags.length = 0;
        if (index.kind === 'value') index.idx.lookup(h.value, slots, tags);
        else if (index.kind === 'domain') index.idx.lookup(h.value, slots, tags as string[]);
        else index.idx.lookup(h.value, m.path.type === 'ipv6-addr' ? 6 : 4, slots, tags as number[]);
        for (let k = 0; k < slots.length; k++) {
          if (!this.live(slots[k], at)) continue;
          hits ??= new Map();
          let hit = hits.get(slots[k]);
          if (!hit) hits.set(slots[k], (hit = { fields: {}, notes: [] }));
          if (hit.fields[h.field] === undefined) hit.fields[h.field] = h.value;
          hit.notes.push(note(m, index.kind, h, tags[k]));
        }
      }
    }

    const out: Detection[] = [];
    if (hits) for (const [slot, hit] of hits) out.push(this.detection(this.slots[slot]!, event, hit.fields, `indicator ${this.slots[slot]!.rule.title}: ${hit.notes.join('; ')}`));
    if (this.complex.length || this.multi.length) this.matchComplex(event, values, at, out);
    return out;
  }

  private matchComplex(event: WardEvent, values: EventValues, at: number, out: Detection[]): void {
    const objects = eventObservation(values, this.mapping);
    if (objects.length === 0) return;
    const types = new Set(objects.map((o) => o.type as string));
    const obs: PreparedObservation = { objects, first: at, last: at };
    const fieldsOf = (): Record<string, unknown> => {
      const f: Record<string, unknown> = {};
      for (const m of this.mapping) for (const h of values.of(m)) if (f[h.field] === undefined) f[h.field] = h.value;
      return f;
    };
    for (const { ind, types: need } of this.complex) {
      if (!this.live(ind.slot, at) || ![...need].some((t) => types.has(t))) continue;
      const root = ind.pattern!.root;
      if (root.kind === 'observation' && matchingObjects(root.expr, obs).size > 0) {
        out.push(this.detection(ind, event, fieldsOf(), `indicator ${ind.rule.title}: event satisfies ${ind.pattern!.text}`));
      }
    }
    const max = this.opts.maxBuffer ?? 256;
    for (const st of this.multi) {
      if (!this.live(st.ind.slot, at)) continue;
      // Only observations that satisfy some bracketed expression can take part in a binding.
      if (!leafObservations(st.ind.pattern!).some((l) => matchingObjects(l.expr, obs).size > 0)) continue;
      st.buffer.push({ obs, event });
      // A pattern qualified WITHIN n SECONDS as a whole cannot bind observations further apart:
      // older ones are dropped (events arrive in time order per source).
      const root = st.ind.pattern!.root;
      if (root.kind === 'within') {
        const oldest = at - root.seconds * 1000;
        let drop = 0;
        while (drop < st.buffer.length - 1 && st.buffer[drop].obs.last < oldest) drop++;
        if (drop) st.buffer.splice(0, drop);
      }
      if (st.buffer.length > max) st.buffer.shift();
      const last = st.buffer.length - 1;
      const bindings = evaluate(st.ind.pattern!.root, st.buffer.map((b) => b.obs)).filter((b) => b.includes(last));
      for (const b of bindings) {
        const evs = [...new Set(b)].sort((x, y) => x - y).map((i) => st.buffer[i].event);
        const sig = evs.map((e) => `${e.loc.file ?? ''}:${e.loc.line ?? e.loc.record ?? ''}:${e.timestamp ?? ''}`).join('|');
        if (st.fired.has(sig)) continue;
        st.fired.add(sig);
        if (st.fired.size > 10 * max) st.fired.clear();
        out.push(this.detection(st.ind, event, fieldsOf(), `indicator ${st.ind.rule.title}: ${evs.length} observation(s) satisfy ${st.ind.pattern!.text}`));
        break;
      }
    }
  }

  private detection(c: CompiledIndicator, event: WardEvent, fields: Record<string, unknown>, explanation: string): Detection {
    return { kind: 'intel', rule: c.rule, timestamp: event.timestamp, host: event.host, loc: event.loc, fields, event, explanation };
  }

  flush(): Detection[] {
    // Multi-observation patterns are evaluated as events arrive; nothing waits for the end.
    return [];
  }
}

/** Why a simple indicator matched, in words. */
function note(m: PathMapping, kind: AnyIndex['kind'], h: FieldHit, tag: unknown): string {
  const base = `${h.field}=${h.value} matches ${m.path.text}`;
  if (kind === 'domain') {
    const own = h.value.toLowerCase().replace(/\.$/, '');
    return `${base} = '${String(tag)}'${tag !== own ? ' (subdomain)' : ''}`;
  }
  if (kind === 'ip' && typeof tag === 'number' && tag < (m.path.type === 'ipv6-addr' ? 128 : 32)) return `${base} (in a /${tag} block)`;
  return base;
}

/**
 * IOC matching over WardEvents (issue 3). Simple indicators (an OR of equalities on mapped
 * paths: hashes, IPs/CIDRs, domains, URLs, e-mail addresses, file names …) go into indexed sets;
 * every other STIX pattern is evaluated by the STIX pattern matcher on the event as an
 * observation. Revoked indicators and superseded versions are ignored; see `problems`.
 */
export function createIntelDetector(objects: Iterable<StixObject>, opts: IntelOptions = {}): IntelDetector {
  return new IntelMatcher(objects, opts);
}
