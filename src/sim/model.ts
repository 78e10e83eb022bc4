/** The simulated hospital: who works there, who is treated there, and the machines. */

export interface Department {
  code: string;
  name: string;
  kind: 'inpatient' | 'emergency' | 'support' | 'admin';
  beds: number;
  /** third octet of the department's workstation subnet 10.20.<n>.0/24 */
  subnet: number;
}

export type Role = 'physician' | 'nurse' | 'lab-tech' | 'radiographer' | 'radiologist' | 'pharmacist' | 'clerk' | 'him' | 'it-admin' | 'admin' | 'researcher';

export interface Address {
  number: number;
  street: string;
  city: string;
  postalCode: string;
}

export interface Staff {
  id: string;
  /** login name (AD sAMAccountName, EHR user id) */
  user: string;
  given: string;
  family: string;
  role: Role;
  dept: string;
  /** HL7 provider id for physicians (PV1-7 XCN.1). */
  providerId?: string;
  status: 'active' | 'terminated';
  address: Address;
  birthDate: string;
  /** index into Hospital.workstations of the usual workstation(s) */
  workstations: number[];
  /** the staff member's own patient record, if any (MRN) */
  patientMrn?: string;
}

export interface Patient {
  mrn: string;
  given: string;
  family: string;
  sex: 'F' | 'M';
  birthDate: string;
  address: Address;
  vip: boolean;
  /** staff id when the patient is an employee */
  employeeId?: string;
  /** staff id of the employee this patient is family of (same surname and address) */
  familyOf?: string;
}

export interface Host {
  name: string;
  fqdn: string;
  ip: string;
  kind: 'workstation' | 'server' | 'dc';
  dept?: string;
  /** DICOM AE title for imaging hosts */
  aeTitle?: string;
}

export interface Hospital {
  name: string;
  /** public DNS domain (mail, portal) */
  domain: string;
  /** Active Directory DNS domain and NetBIOS name */
  adDomain: string;
  netbios: string;
  departments: Department[];
  staff: Staff[];
  patients: Patient[];
  workstations: Host[];
  servers: Record<'dc1' | 'dc2' | 'fs' | 'ehrApp' | 'ehrDb' | 'fhir' | 'pacs' | 'vna' | 'integration' | 'analytics' | 'backup' | 'mail', Host>;
  /** DICOM AE titles known to the PACS (modalities, reading stations, archive) */
  knownAeTitles: string[];
  beds: number;
}
