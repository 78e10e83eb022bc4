/** serve/: the `ward serve` process — ingestion, live detection, store, API and web console. */
export { loadConfig } from './config.js';
export type { ServeConfig, ConfigSources } from './config.js';
export { startWard } from './server.js';
export type { WardServer, StartOptions } from './server.js';
export { bootstrap } from './bootstrap.js';
export { Pipeline, DETECT_CURSOR } from './pipeline.js';
export { RuleManager } from './rules.js';
export type { LoadedRules, RuleLoader } from './rules.js';
export { SyslogFramer } from './framing.js';
export { startSyslog } from './syslog.js';
export { startDropFolder } from './dropfolder.js';
export { sigmaRuleLoader } from './sigma.js';
export { loadDemo } from './demo.js';
export { watchRuleFolders } from './watch.js';
