// Records of the partnership. Pure data: no behaviour, no I/O.

export const ROLES = ['senco', 'head', 'panel', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PHASES = ['early-years', 'primary', 'secondary', 'special'] as const;
export type Phase = (typeof PHASES)[number];

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
  closureReason?: ClosureReason;
  updatedAt: string;
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
  provider: string;
  sessions: number;
  unitCostPence: number;
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
  /** The panel chat message that carries this proposal, so every copy can be updated. */
  panelMessageId?: string;
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
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  caseId?: string;
  /** Never a pupil's name: references, statuses and field names only. */
  detail: string;
}
