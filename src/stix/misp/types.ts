/** MISP core format (draft-dulaunoy-misp-core-format), the parts Ward reads and writes. */
export interface MispTag {
  name: string;
  [k: string]: unknown;
}
export interface MispAttribute {
  uuid: string;
  type: string;
  category?: string;
  value: string;
  to_ids?: boolean | string;
  comment?: string;
  timestamp?: string | number;
  object_relation?: string | null;
  first_seen?: string | null;
  last_seen?: string | null;
  distribution?: string | number;
  Tag?: MispTag[];
  [k: string]: unknown;
}
export interface MispObject {
  uuid: string;
  name: string;
  'meta-category'?: string;
  description?: string;
  template_uuid?: string;
  template_version?: string;
  timestamp?: string | number;
  comment?: string;
  Attribute?: MispAttribute[];
  [k: string]: unknown;
}
export interface MispEvent {
  uuid: string;
  info: string;
  date?: string;
  timestamp?: string | number;
  publish_timestamp?: string | number;
  threat_level_id?: string | number;
  analysis?: string | number;
  distribution?: string | number;
  published?: boolean;
  Orgc?: { name?: string; uuid?: string; [k: string]: unknown };
  Tag?: MispTag[];
  Attribute?: MispAttribute[];
  Object?: MispObject[];
  [k: string]: unknown;
}
