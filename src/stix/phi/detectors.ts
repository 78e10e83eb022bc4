/**
 * Patient-identifier detectors for text leaving Ward. HIPAA's Safe Harbor list (45 CFR
 * §164.514(b)(2)) names the identifiers that make health data identifiable; Ward looks for the
 * ones that plausibly end up in threat intelligence: names, medical record numbers, FHIR Patient
 * references, dates of birth and SSN-like numbers.
 */

export type PhiKind = 'name' | 'mrn' | 'fhir-patient' | 'dob' | 'ssn' | 'unscanned';

export interface PhiConfig {
  /** Patient names ("Jane Doe"); also found as "Doe, Jane" and HL7 "DOE^JANE". Case-insensitive. */
  patientNames?: readonly string[];
  /** MRN patterns (regular expression sources or RegExp). Default: an MRN label followed by 5–12 digits/letters. */
  mrnPatterns?: readonly (string | RegExp)[];
  /** Detect FHIR `Patient/<id>` references (default true). */
  fhirPatient?: boolean;
  /** Detect dates of birth (labelled dates, and any date in a birth-date property; default true). */
  dob?: boolean;
  /** Detect US SSN-like numbers NNN-NN-NNNN (default true). */
  ssn?: boolean;
  /** 'redact' replaces each finding with [REDACTED:kind]; 'block' withholds the whole object. */
  mode?: 'redact' | 'block';
}

export const DEFAULT_MRN_PATTERNS: readonly string[] = [
  // "MRN 00123456", "MRN: A1234567", "medical record number #123456"
  String.raw`\b(?:MRN|medical[ _-]?record(?:[ _-]?(?:number|no\.?|#))?)\s*[:#=]?\s*[A-Z]{0,3}\d{5,12}\b`,
];

export interface Detector {
  kind: PhiKind;
  re: RegExp;
  /** Cheap pre-check: the detector cannot match text without a digit. */
  needsDigit?: boolean;
  /** Cheap pre-check on the lower-cased text: false means the regex cannot match. */
  hint?: (lower: string) => boolean;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "Jane Q Doe" → patterns for "Jane Q Doe", "Doe, Jane Q", "DOE^JANE^Q" with flexible spacing. */
function nameVariants(name: string): string[] {
  const parts = name.trim().split(/\s+/).filter(Boolean).map(escapeRe);
  if (parts.length === 0) return [];
  if (parts.length === 1) return [parts[0]];
  const last = parts[parts.length - 1];
  const given = parts.slice(0, -1);
  return [
    parts.join(String.raw`[\s._-]+`),
    `${last},\\s*${given.join(String.raw`\s+`)}`,
    `${last}\\^${given.join('\\^')}`,
  ];
}

export function buildDetectors(config: PhiConfig): Detector[] {
  const out: Detector[] = [];
  const names = (config.patientNames ?? []).flatMap(nameVariants);
  if (names.length > 0) {
    // Longest first so "Jane Q Doe" wins over "Jane"; \p{L} boundaries so "Ann" does not hit "Annex".
    names.sort((a, b) => b.length - a.length);
    out.push({ kind: 'name', re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${names.join('|')})(?![\\p{L}\\p{N}])`, 'giu') });
  }
  if (config.mrnPatterns === undefined) {
    // The default needs its label; configured patterns get no hint (they may match bare numbers).
    for (const p of DEFAULT_MRN_PATTERNS) out.push({ kind: 'mrn', re: new RegExp(p, 'gi'), needsDigit: true, hint: (l) => l.includes('mrn') || l.includes('medical') });
  }
  for (const p of config.mrnPatterns ?? []) {
    const re = typeof p === 'string' ? new RegExp(p, 'gi') : new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g');
    out.push({ kind: 'mrn', re });
  }
  if (config.fhirPatient !== false) {
    // FHIR R4 §2.3.0 (Resource.id): [A-Za-z0-9\-\.]{1,64}; references are "Patient/<id>" or absolute URLs ending so.
    out.push({ kind: 'fhir-patient', re: /\bPatient\/[A-Za-z0-9.-]{1,64}/g, hint: (l) => l.includes('patient/') });
  }
  if (config.dob !== false) {
    out.push({
      needsDigit: true,
      hint: (l) => l.includes('dob') || l.includes('d.o.b') || l.includes('birth') || l.includes('born'),
      kind: 'dob',
      re: /\b(?:DOB|D\.O\.B\.|date[ _-]?of[ _-]?birth|birth[ _-]?date|born(?: on)?)\s*[:=]?\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{8})\b/gi,
    });
  }
  if (config.ssn !== false) {
    // SSA never issues area 000, 666 or 9xx, group 00 or serial 0000.
    out.push({ kind: 'ssn', needsDigit: true, hint: (l) => l.includes('-'), re: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g });
  }
  return out;
}

/** Property names whose value is a birth date whatever its format. */
export const BIRTH_DATE_KEY = /^(?:dob|birth_?date|date_?of_?birth|birthdate|x_[a-z0-9_]*birth[a-z0-9_]*)$/i;
