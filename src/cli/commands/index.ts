import type { Command } from 'commander';

/**
 * Every `ward` sub-command, one module each. A module exports `register(program)`.
 * Add a command by writing cli/commands/<name>.ts and listing it here.
 */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
