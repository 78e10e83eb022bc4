/**
 * Abstract syntax of a STIX pattern (STIX 2.1 §9; grammar: OASIS STIXPattern.g4).
 * Every node carries `pos`, the 0-based character offset in the pattern text, so that later checks
 * (and users) can point at the exact place.
 */

export type Literal =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'int'; value: number; pos: number }
  | { kind: 'float'; value: number; pos: number }
  | { kind: 'bool'; value: boolean; pos: number }
  /** b'…' (base64) and h'…' (hex) both decode to bytes (§9.3 "Binary" / "Hex"). */
  | { kind: 'binary'; value: Uint8Array; pos: number }
  | { kind: 'hex'; value: Uint8Array; pos: number }
  /** t'…' : `value` in ms since the epoch; `text` keeps sub-millisecond digits. */
  | { kind: 'timestamp'; value: number; text: string; pos: number };

export type PathStep = { kind: 'key'; key: string } | { kind: 'index'; index: number | '*' };

export interface ObjectPath {
  /** SCO type, e.g. `file`, `ipv4-addr`. */
  type: string;
  steps: PathStep[];
  /** The path as written (for messages), e.g. `file:hashes.'SHA-256'`. */
  text: string;
  pos: number;
}

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

export type ComparisonExpr =
  | {
      kind: 'cmp';
      path: ObjectPath;
      op: CompareOp;
      negated: boolean;
      /** IN takes a set; every other operator a single literal. */
      value: Literal | Literal[];
      /** Compiled once for LIKE and MATCHES. */
      regex?: RegExp;
      pos: number;
    }
  | { kind: 'exists'; path: ObjectPath; pos: number }
  | { kind: 'and' | 'or'; left: ComparisonExpr; right: ComparisonExpr; pos: number };

export type ObservationExpr =
  | { kind: 'observation'; expr: ComparisonExpr; pos: number }
  | { kind: 'and' | 'or' | 'followedby'; left: ObservationExpr; right: ObservationExpr; pos: number }
  | { kind: 'within'; expr: ObservationExpr; seconds: number; pos: number }
  | { kind: 'repeats'; expr: ObservationExpr; times: number; pos: number }
  | { kind: 'startstop'; expr: ObservationExpr; start: number; stop: number; pos: number };

export interface Pattern {
  text: string;
  root: ObservationExpr;
}
