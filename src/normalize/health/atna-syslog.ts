import { findAuditPayload, parseAuditMessage, type AtnaResult } from '../../sources/index.js';

/** Parses the `<AuditMessage>` carried in a generic syslog record's `message`. */
export function parseAtnaFromSyslog(record: Record<string, unknown>): AtnaResult {
  const msg = typeof record.message === 'string' ? record.message : '';
  const at = findAuditPayload(msg);
  if (at < 0) return { ok: false, error: 'no <AuditMessage> in syslog message' };
  return parseAuditMessage(msg.slice(at));
}
