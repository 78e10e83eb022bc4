import type { Command } from 'commander';
import { register as hunt } from './hunt.js';
import { register as rules } from './rules.js';

/**
 * Every `ward` sub-command, one module each. A module exports `register(program)`.
 * Add a command by writing cli/commands/<name>.ts and listing it here.
 */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [hunt, rules];
import { register as registerServe } from './serve.js';
commands.push(registerServe);
import { register as registerSimulate } from './simulate.js';
commands.push(registerSimulate);
import { register as registerEvtx } from './evtx.js';
commands.push(registerEvtx);
import { register as registerTaxii } from './taxii.js';
commands.push(registerTaxii);
import { register as registerIntel } from './intel.js';
commands.push(registerIntel);
