// Records of the partnership. Pure data: no behaviour, no I/O.

export const ROLES = ['senco', 'head', 'panel', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PHASES = ['early-years', 'primary', 'secondary', 'special'] as const;
export type Phase = (typeof PHASES)[number];
export const PHASE_LABELS: Record<Phase, string> = {
  'early-years': 'Early years',
  primary: 'Primary',
  secondary: 'Secondary',
  special: 'Special',
};

export interface School {
  id: string;
  name: string;
  phase: Phase;
}

export interface Person {
  aadObjectId: string;
  name: string;
  email: string;
  roles: Role[];
  schoolId?: string;
}

export const NEED_AREAS = ['semh', 'communication', 'cognition', 'sensory-physical'] as const;
export type NeedArea = (typeof NEED_AREAS)[number];

export const NEED_AREA_LABELS: Record<NeedArea, string> = {
  semh: 'Social, emotional and mental health',
  communication: 'Communication and interaction',
  cognition: 'Cognition and learning',
  'sensory-physical': 'Sensory and/or physical',
};

export const YEAR_GROUPS = [
  'Nursery',
  'Reception',
  'Year 1',
  'Year 2',
  'Year 3',
  'Year 4',
  'Year 5',
  'Year 6',
  'Year 7',
  'Year 8',
  'Year 9',
  'Year 10',
  'Year 11',
  'Year 12',
  'Year 13',
] as const;
export type YearGroup = (typeof YEAR_GROUPS)[number];

/** The year groups a school of each phase teaches; a special school may teach any. */
export function yearGroupsFor(phase: Phase | undefined): readonly YearGroup[] {
  const from = (a: YearGroup, b: YearGroup) =>
    YEAR_GROUPS.slice(YEAR_GROUPS.indexOf(a), YEAR_GROUPS.indexOf(b) + 1);
  switch (phase) {
    case 'early-years':
      return from('Nursery', 'Reception');
    case 'primary':
      return from('Nursery', 'Year 6');
    case 'secondary':
      return from('Year 7', 'Year 13');
    default:
      return YEAR_GROUPS;
  }
}

export const CONSENT_METHODS = ['in-writing', 'meeting', 'phone', 'email'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
export const CONSENT_METHOD_LABELS: Record<ConsentMethod, string> = {
  'in-writing': 'In writing',
  meeting: 'In a meeting',
  phone: 'By phone',
  email: 'By email',
};

export const INTERVENTION_TYPES = [
  'counselling',
  'educational-psychology',
  'specialist-teaching',
  'play-therapy',
  'mentoring',
  'speech-and-language',
  'whole-class-support',
  'other',
] as const;
export type InterventionType = (typeof INTERVENTION_TYPES)[number];
export const INTERVENTION_LABELS: Record<InterventionType, string> = {
  counselling: 'Counselling',
  'educational-psychology': 'Educational psychology',
  'specialist-teaching': 'Specialist teaching or tutoring',
  'play-therapy': 'Play therapy',
  mentoring: 'Mentoring',
  'speech-and-language': 'Speech and language',
  'whole-class-support': 'Whole-class support or staff training',
  other: 'Other',
};

export const CASE_STATUSES = [
  'submitted',
  'returned',
  'accepted',
  'assessed',
  'proposed',
  'approved',
  'declined',
  'changes_requested',
  'commissioned',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CLOSURE_REASONS = [
  'needs-met',
  'school-provision',
  'ehc-assessment',
  'moved-school',
  'withdrawn',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export type CaseKind = 'individual' | 'class';

/** The request as the school wrote it. `pupilName` is present only for individual casework. */
export interface RequestDetails {
  kind: CaseKind;
  pupilName?: string;
  className?: string;
  yearGroup: YearGroup;
  needs: NeedArea[];
  tried: string;
  asked: string;
}

/** One case: the request and where it stands. Consent, assessment, proposal, votes and decision are records of their own. */
export interface CaseRecord {
  id: string;
  ref: string;
  schoolId: string;
  raisedBy: string;
  raisedAt: string;
  status: CaseStatus;
  request: RequestDetails;
  /** The co-ordinator's open question while the case is returned, and the school's latest answer. */
  question?: string;
  answer?: string;
  observationDate?: string;
  /** Which proposal round is current; 0 until the first proposal. */
  round: number;
  /** When the case last entered `submitted` (raised or resubmitted): the triage clock starts here. */
  submittedAt?: string;
  /** The financial year whose allocation an approved case is held against, e.g. "2026-27". */
  budgetYear?: string;
  closureReason?: ClosureReason;
  /** The co-ordinator's note on closing, and the status the case was closed from (where a reopening returns it). */
  closureNote?: string;
  closedFrom?: CaseStatus;
  closedAt?: string;
  /** A closed case may be reopened once. */
  reopenReason?: string;
  reopenedAt?: string;
  /** A request from the school a child moved to, following the case transferred with them (that case's id). */
  linkedFrom?: string;
  updatedAt: string;
  /** Messages owed because of the change this write made, saved with it (see src/app/outbox). */
  outbox?: OwedMessage[];
}

/**
 * A message a saved change owes someone, written in the same record write as the change itself, so that a crash can
 * delay it but never lose it. What it says is the application's business.
 */
export interface OwedMessage {
  id: string;
  at: string;
  message: Record<string, unknown>;
}

export interface ConsentRecord {
  id: string;
  caseId: string;
  givenBy: string;
  date: string;
  method: ConsentMethod;
  recordedBy: string;
  recordedAt: string;
}

export interface AssessmentRecord {
  id: string;
  caseId: string;
  observedOn: string;
  findings: string;
  needsIdentified: string;
  recordedBy: string;
  recordedAt: string;
}

export interface Intervention {
  type: InterventionType;
  /** The provider's name as the panel sees it. */
  provider: string;
  /** The provider directory entry, when the provider is one; absent for another provider typed in. */
  providerId?: string;
  /** Sessions unless the provider charges by the day. */
  sessions: number;
  unitCostPence: number;
  unit?: 'day';
}

export interface ProposalRecord {
  id: string;
  caseId: string;
  round: number;
  interventions: Intervention[];
  totalPence: number;
  rationale: string;
  outcomes: string;
  reviewDate: string;
  proposedBy: string;
  proposedAt: string;
  /** The date the panel should decide by (school days after proposing); reminders count down to it. */
  deadline?: string;
  /** The panel chat message that carries this proposal, so every copy can be updated. */
  panelMessageId?: string;
  /** With panel cycles: the meeting (its date) whose agenda this proposal went on; the deadline is that date. */
  meetingId?: string;
  /** Set once the deadline has moved (carried to a later meeting): the deadline it was first sent with. */
  firstDeadline?: string;
}

export const VOTE_CHOICES = ['approve', 'decline', 'changes'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

export interface VoteRecord {
  id: string;
  caseId: string;
  round: number;
  voter: string;
  choice: VoteChoice;
  comment: string;
  castAt: string;
  /** Cast by a substitute in `voter`'s place: the substitute's id. `voter` is always the seat's own member. */
  castBy?: string;
  /** The panel card update this vote owes (see CaseRecord.outbox). */
  outbox?: OwedMessage[];
}

export type DecisionOutcome = 'approved' | 'declined' | 'changes_requested';

export interface Tally {
  approve: number;
  decline: number;
  changes: number;
}

export interface DecisionRecord {
  id: string;
  caseId: string;
  round: number;
  outcome: DecisionOutcome;
  tally: Tally;
  /** The votes the decision counted; a vote that raced in after it is not part of it. */
  voters: string[];
  decidedAt: string;
  /** Set when the panel voted to approve but the money was not there: by how much the proposal was over. */
  overBudgetPence?: number;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  caseId?: string;
  /** Never a pupil's name: references, statuses and field names only. */
  detail: string;
  /** A write's before and after (statuses, amounts, field names: never a pupil's name or anyone's words). */
  before?: string;
  after?: string;
  /** A refusal is audited too: what was tried, and why it was refused. */
  outcome?: 'done' | 'refused';
}

export const CLOSURE_LABELS: Record<ClosureReason, string> = {
  'needs-met': 'Needs met',
  'school-provision': "Continuing in the school's own provision",
  'ehc-assessment': 'Referred for an EHC needs assessment',
  'moved-school': 'Moved school',
  withdrawn: 'Withdrawn',
};

export const RATE_UNITS = ['session', 'day'] as const;
export type RateUnit = (typeof RATE_UNITS)[number];

/** A provider in the LA's directory: who delivers which interventions, at what rate. */
export interface ProviderRecord {
  id: string;
  name: string;
  services: InterventionType[];
  ratePence: number;
  rateUnit: RateUnit;
  /** Email or phone, as the admin typed it. */
  contact: string;
  active: boolean;
  updatedBy: string;
  updatedAt: string;
}

/**
 * One financial year's allocation, and what each approved case holds against it. The commitments live in this one
 * record so that every approval is a compare-and-swap on it: two approvals racing for the last of the money cannot
 * both succeed.
 */
export interface BudgetRecord {
  /** The financial year, April to March: "2026-27". */
  id: string;
  allocationPence: number;
  /** Case id to pence: the approved total, then the agreed package costs (or the spend, if higher). */
  commitments: Record<string, number>;
  updatedBy: string;
  updatedAt: string;
}

/** One commissioned intervention: a package a provider delivers for a case. */
export interface PackageRecord {
  /** `${caseId}:p${n}`, so commissioning twice cannot create a second package. */
  id: string;
  caseId: string;
  budgetYear: string;
  type: InterventionType;
  providerId?: string;
  providerName: string;
  sessions: number;
  /** What the panel approved for this intervention, and what was agreed with the provider. */
  approvedPence: number;
  agreedPence: number;
  /** Why the agreed cost is more than the panel approved; present exactly when it is. */
  aboveApprovalReason?: string;
  startDate: string;
  endDate: string;
  commissionedBy: string;
  commissionedAt: string;
}

/** Money paid against a package: an invoice, or sessions delivered. */
export interface SpendRecord {
  id: string;
  caseId: string;
  packageId: string;
  budgetYear: string;
  type: InterventionType;
  invoiceRef: string;
  amountPence: number;
  sessionsDelivered: number;
  deliveredOn: string;
  /** Why the package's agreed cost was exceeded; present exactly when this spend took it over. */
  overReason?: string;
  recordedBy: string;
  recordedAt: string;
}

export const REVIEW_KINDS = ['interim', 'final'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export const PROGRESS_LEVELS = ['not-started', 'some', 'good', 'fully-met'] as const;
export type ProgressLevel = (typeof PROGRESS_LEVELS)[number];
export const PROGRESS_LABELS: Record<ProgressLevel, string> = {
  'not-started': 'Not started',
  some: 'Some progress',
  good: 'Good progress',
  'fully-met': 'Fully met',
};

export interface ReviewOutcome {
  /** Progress against each expected outcome of the proposal. */
  progress: { outcome: string; level: ProgressLevel }[];
  /** An optional measure with baseline and end scores, such as SDQ total difficulties or a Boxall profile. */
  measure?: string;
  baseline?: number;
  end?: number;
  notes: string;
  recordedBy: string;
  recordedAt: string;
}

/** An outcome review of a commissioned case: interim at week 6, final at the proposal's review date. */
export interface ReviewRecord {
  /** `${caseId}:${kind}` */
  id: string;
  caseId: string;
  kind: ReviewKind;
  due: string;
  status: 'open' | 'done';
  outcome?: ReviewOutcome;
  updatedBy: string;
  updatedAt: string;
}

export const REMINDER_KINDS = [
  'review-due',
  'vote-pending',
  'deadline-passed',
  'triage-waiting',
  'providers-meeting',
  'transitions',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * A reminder to one person, recorded under its key by an atomic create before it is sent: two sweeps can never
 * both send it, and one that was claimed but never sent (a crash) is sent by a later sweep.
 */
export interface ReminderRecord {
  /** The key: kind, case, due point and recipient. */
  id: string;
  kind: ReminderKind;
  caseId?: string;
  to: string;
  /** The due point this reminder is for (YYYY-MM-DD). */
  due: string;
  status: 'sending' | 'sent' | 'unreachable';
  claimedAt: string;
  sentAt?: string;
}

/**
 * A panel meeting, when panel cycles are used: its date, the cut-off for papers (so many school days before), and
 * how far the bot has gone with it (agenda sent on cut-off day, summary sent after the meeting).
 */
export interface MeetingRecord {
  /** The meeting's date (YYYY-MM-DD): there is one meeting a day at most. */
  id: string;
  date: string;
  cutOff: string;
  status: 'scheduled' | 'agenda-sent' | 'summarised';
  setBy: string;
  setAt: string;
  /** Set on a day that is not a school day, after the admin confirmed it. */
  nonSchoolDay?: boolean;
  /** The proposals its agenda listed (its own and those carried over), for the summary after the meeting. */
  agenda?: { caseId: string; round: number }[];
  /** Cancelled (or moved to another date) by an admin: kept, so the panel chat's notice is owed with the change. */
  cancelledAt?: string;
  cancelledBy?: string;
  /** Moved rather than cancelled: the new date. */
  movedTo?: string;
  /** The panel chat's notice this change owes (see CaseRecord.outbox); every sweep settles it. */
  outbox?: OwedMessage[];
}

/**
 * A panel member away for a period, with another head voting in their place. Ended early by the member or an admin
 * (endedAt); once it has ended, the votes still open are handed back to the member (handedBackAt).
 */
export interface SubstitutionRecord {
  id: string;
  /** The absent panel member (Entra object id, lower-case). */
  member: string;
  /** The head voting in their place (Entra object id, lower-case). */
  substitute: string;
  /** First and last day (YYYY-MM-DD, London), both included. */
  from: string;
  to: string;
  setBy: string;
  setAt: string;
  endedAt?: string;
  endedBy?: string;
  handedBackAt?: string;
}
