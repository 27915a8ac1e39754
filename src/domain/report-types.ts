// The shape of an impact report: what the programme board and Schools Forum read. Computed by buildReport
// (report.ts) from the store's records, drawn by the report card (src/cards), exported as CSV (src/app/reports).
// Nothing here identifies a pupil: counts, money, durations and case references only; a count below the
// suppression threshold in a per-school cell is shown as "<3".
import type {
  ClosureReason,
  DecisionOutcome,
  InterventionType,
  NeedArea,
  Phase,
  ProgressLevel,
} from './types';

/** What a report covers. `year` is a financial year ("2026-27"); a term narrows it to that term's dates. */
export interface ReportFilter {
  year: string;
  /** A term's name from the directory's `terms` ("Autumn 2026"); absent for the whole year. */
  term?: string;
  /** One school; absent for all schools (LA-wide). */
  schoolId?: string;
  phase?: Phase;
}

/** A count that may be suppressed: `value` is always the true count (for totals); `shown` is what may be displayed. */
export interface Count {
  value: number;
  /** The number as text, or "<3" when 1 or 2 cases in a per-school cell could single a child out. */
  shown: string;
}

export interface Money {
  pence: number;
}

/** The figures for one scope: one school, or every school in the filter. */
export interface ReportFigures {
  /**
   * One school's figures (or the LA's, when the filter leaves one school): every count of 1 or 2 in them shows "<3",
   * the plain numbers below included (see `shownCount`).
   */
  suppressed?: boolean;
  /** Requests raised in the period. */
  requests: Count;
  /** By needs area (a request may name several, so these can sum to more than `requests`). */
  byNeed: { need: NeedArea; count: Count }[];
  /** Individual versus whole-class. */
  individual: Count;
  wholeClass: Count;
  /** Share of whole-class requests, 0–1, of requests in the period; undefined when there are none. */
  wholeClassShare?: number;
  /** Days from request (raisedAt) to the panel's decision (decidedAt), over cases decided in the period. */
  daysToDecision: { decided: number; median?: number; p90?: number };
  decisions: { outcome: DecisionOutcome; count: Count }[];
  /** The year's allocation (LA-wide only), and what is committed and spent against it. */
  allocation?: Money;
  committed: Money;
  spent: Money;
  byIntervention: { type: InterventionType; committed: Money; spent: Money }[];
  byProvider: { provider: string; committed: Money; spent: Money }[];
  /** Outcome reviews recorded in the period: progress ratings, and baseline → end score changes where measured. */
  outcomes: {
    recorded: number;
    progress: { level: ProgressLevel; count: Count }[];
    /** Mean of (end − baseline) over reviews with both scores; undefined when none. */
    meanScoreChange?: number;
    withScores: number;
  };
  /** Reviews due in the period: done by their due date, done late, still open past due. */
  reviews: { onTime: number; late: number; overdue: number };
  /** Cases closed in the period, by reason (ehc-assessment = referred for an EHC needs assessment). */
  closed: { reason: ClosureReason; count: Count }[];
}

/** Requests by school, for the bar chart and the table; other schools are never shown to a school's own report. */
export interface SchoolRow {
  schoolId: string;
  school: string;
  requests: Count;
}

export interface Report {
  filter: ReportFilter;
  /** "2026-27", or "Autumn 2026 (2026-27)"; and the first and last day covered (ISO). */
  period: { label: string; from: string; to: string };
  /** LA-wide figures (for a school's own report: the LA totals beside its own). */
  la: ReportFigures;
  /** A school's own figures, when the report is for one school. */
  school?: { schoolId: string; name: string; figures: ReportFigures };
  /** Requests by school: LA-wide reports only. */
  bySchool: SchoolRow[];
  generatedAt: string;
}

/** One row of the pseudonymised extract: no names, no free text. */
export interface ExtractRow {
  ref: string;
  school: string;
  phase: string;
  yearGroup: string;
  kind: 'individual' | 'class';
  needs: string;
  status: string;
  raised: string;
  decided: string;
  outcome: string;
  approvedPounds: string;
  committedPounds: string;
  spentPounds: string;
  closedReason: string;
  progress: string;
}

/** Cells below this are shown as "<3" in per-school figures. */
export const SUPPRESS_BELOW = 3;

/** A plain number of these figures as it may be shown: "<3" for 1 or 2 in suppressed (one school's) figures. */
export const shownCount = (f: Pick<ReportFigures, 'suppressed'>, n: number): string =>
  f.suppressed && n > 0 && n < SUPPRESS_BELOW ? `<${SUPPRESS_BELOW}` : String(n);
