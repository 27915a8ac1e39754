// What every benchmark suite reports: named figures, each with the goal it is held to (if any) and whether it met it.
// The runner (bench/run.ts) prints them as one table and writes them as JSON under bench/results/.

export interface Goal {
  /** The figure must be at most (<=) or at least (>=) this value. */
  op: '<=' | '>=';
  value: number;
  /** How the README states it, e.g. "≤ 2× the floor". */
  text: string;
}

export interface Figure {
  /** The suite's name, e.g. "card actions". */
  suite: string;
  /** What was measured, e.g. "vote: CPU per turn / floor". */
  name: string;
  value: number;
  /** "ms", "×", "MB", "req/s", "requests", "messages/s" … */
  unit: string;
  goal?: Goal;
  /** Where a goal is missed, why (a profile's finding), or anything a reader needs to read the figure. */
  note?: string;
}

export interface SuiteOptions {
  /** `npm run bench -- --quick`: a small version of each suite, so the whole run takes under 30 s. */
  quick: boolean;
  /** Progress lines for the person watching. */
  log(line: string): void;
}

export interface Suite {
  name: string;
  run(options: SuiteOptions): Promise<Figure[]>;
}

export const met = (f: Figure): boolean | undefined =>
  f.goal === undefined ? undefined : f.goal.op === '<=' ? f.value <= f.goal.value : f.value >= f.goal.value;
