/**
 * Whether the rules' raw prescreen (Detector.screen) pays on the data at hand. It costs a
 * tokenizing pass over every line and saves JSON.parse, normalizing and matching on the lines it
 * rejects; which wins depends on the rule set (with SigmaHQ's 3,000 Windows rules matching a
 * kept line costs several times the screen; with a pack of 55 rules, parsing a line the screen
 * would not reject costs about what screening it does) and on the data (its mix of layouts, how
 * many lines any rule could match). So it is measured, not guessed: a window of lines with the
 * screen on and one with it off, then the cheaper setting for the next stretch, then again.
 * Results never depend on the choice: the screen only skips lines no rule can match.
 */
export class ScreenGovernor {
  /** Whether to screen the next lines. */
  on = true;
  private state: 'probe-on' | 'probe-off' | 'run' = 'probe-on';
  private lines = 0;
  private ms = 0;
  private costOn = 0;
  /** Per-line cost of each setting at the last decision (ms), for reports and tests. */
  last: { on: number; off: number } | undefined;

  constructor(
    /** lines per probe window */
    private readonly window = 4096,
    /** lines run with the chosen setting before probing again */
    private readonly stretch = 16 * 4096,
  ) {}

  /** Reports `lines` handled (screened or parsed) in `ms` of work under the current setting. */
  record(lines: number, ms: number): void {
    this.lines += lines;
    this.ms += ms;
    if (this.state === 'run') {
      if (this.lines >= this.stretch) this.begin('probe-on', true);
      return;
    }
    if (this.lines < this.window) return;
    const cost = this.ms / this.lines;
    if (this.state === 'probe-on') {
      this.costOn = cost;
      this.begin('probe-off', false);
      return;
    }
    this.last = { on: this.costOn, off: cost };
    this.begin('run', this.costOn <= cost);
  }

  private begin(state: 'probe-on' | 'probe-off' | 'run', on: boolean): void {
    this.state = state;
    this.on = on;
    this.lines = 0;
    this.ms = 0;
  }
}
