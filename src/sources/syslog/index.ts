/** syslog/: RFC 5424 / RFC 3164 message parser and the 'syslog' file reader. */
export { parseSyslog, syslogRecord } from './parse.js';
export type { SyslogMessage, SyslogResult, SyslogParseOptions } from './parse.js';
export { syslogReader } from './reader.js';
