import type { AnalyticsConfig } from './config.js';
import { patientsFromRows, person, readCsvObjects, rosterFromRows, type PatientInfo, type StaffInfo } from './people.js';
import type { AnalyticsState } from './state.js';

/** Configuration compiled for lookups, plus the reference data the config points to. */
export class Reference {
  readonly roster = new Map<string, StaffInfo>();
  readonly byProvider = new Map<string, string>();
  readonly employees = new Map<string, string>();
  readonly vip = new Set<string>();
  readonly patients = new Map<string, PatientInfo>();
  private readonly roleAlias = new Map<string, string>();
  private readonly deptAlias = new Map<string, string>();
  readonly allowUsers: Set<string>;
  readonly allowRoles: Set<string>;

  constructor(readonly cfg: AnalyticsConfig) {
    for (const [role, names] of Object.entries(cfg.roles ?? {})) {
      this.roleAlias.set(role.toLowerCase(), role);
      for (const n of names ?? []) this.roleAlias.set(String(n).toLowerCase(), role);
    }
    for (const [code, names] of Object.entries(cfg.departments ?? {})) {
      this.deptAlias.set(code.toLowerCase(), code);
      for (const n of names ?? []) this.deptAlias.set(String(n).toLowerCase(), code);
    }
    for (const m of cfg.vipPatients ?? []) this.vip.add(String(m));
    for (const m of cfg.employeePatients ?? []) this.employees.set(String(m), '');
    const ref = cfg.reference ?? {};
    if (ref.roster) for (const s of rosterFromRows(readCsvObjects(ref.roster))) this.addStaff(s);
    if (ref.patients) {
      for (const [mrn, p] of patientsFromRows(readCsvObjects(ref.patients))) {
        this.patients.set(mrn, p);
        if (p.vip) this.vip.add(mrn);
      }
    }
    this.allowUsers = new Set((cfg.allow?.users ?? []).map((u) => u.toLowerCase()));
    this.allowRoles = new Set((cfg.allow?.roles ?? []).map((r) => this.role(r) ?? r));
  }

  addStaff(s: StaffInfo): void {
    this.roster.set(s.user, { ...s, role: this.role(s.role), dept: this.dept(s.dept) });
    if (s.providerId) this.byProvider.set(s.providerId, s.user);
    if (s.patientMrn) this.employees.set(s.patientMrn, s.user);
  }

  role(r: string | undefined): string | undefined {
    if (!r) return undefined;
    return this.roleAlias.get(r.trim().toLowerCase()) ?? r.trim().toLowerCase();
  }

  dept(d: string | undefined): string | undefined {
    if (!d) return undefined;
    return this.deptAlias.get(d.trim().toLowerCase()) ?? d.trim().toUpperCase();
  }

  /** Care teams from a nursing-roster CSV become visits with users (attending, care-team). */
  loadCareTeams(st: AnalyticsState): void {
    const path = this.cfg.reference?.careTeams;
    if (!path) return;
    for (const r of readCsvObjects(path)) {
      const mrn = r.mrn ?? r.patient;
      const admitted = Date.parse(r.admitted ?? '');
      if (!mrn || Number.isNaN(admitted)) continue;
      const discharged = Date.parse(r.discharged ?? '');
      const id = `care:${r.visit || `${mrn}@${admitted}`}`;
      const users: Record<string, string> = {};
      for (const n of (r.nurse_users ?? r.care_team ?? '').split(/[;|]/)) if (n.trim()) users[n.trim()] = 'care-team';
      if (r.attending_user) users[r.attending_user] = 'attending';
      const unit = this.dept(r.department);
      st.addVisit({ id, mrn, admitted, discharged: Number.isNaN(discharged) ? undefined : discharged, units: unit ? [[admitted, unit]] : [], providers: {}, users });
    }
  }

  /** Demographics of a patient: the index first, then what ADT and logs told. */
  patient(st: AnalyticsState, mrn: string): PatientInfo | undefined {
    const a = this.patients.get(mrn);
    const b = st.patients.get(mrn);
    if (!a) return b;
    if (!b) return a;
    return { ...b, ...Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) };
  }

  staff(user: string): StaffInfo | undefined {
    return this.roster.get(user);
  }
}

export { person };
