// Turns records into what a given person may see: named for the school and the co-ordinator, pseudonymised for
// everyone else.
import {
  CLOSURE_LABELS,
  CONSENT_METHOD_LABELS,
  FILE_KIND_LABELS,
  mayTransferNow,
  PROGRESS_LABELS,
  INTERVENTION_LABELS,
  NEED_AREA_LABELS,
  STATUS_LABELS,
  actionsFor,
  formatPence,
  hasRole,
  isOwnSchool,
  maySeeNamed,
  redactName,
  showDate,
  sumPence,
  tally,
  waitingOn,
  type CaseAction,
  type CaseRecord,
  type Directory,
  type Intervention,
  type Person,
  type ProposalRecord,
  type ReviewRecord,
  type Seat,
  type SubstitutionRecord,
  type VoteRecord,
} from '../domain';
import {
  CASE_FORMS,
  action,
  type CardAction,
  type CaseCardData,
  type CaseRow,
  type PanelCardData,
  type Tone,
} from '../cards';
import { breakable } from '../cards/breakable';
import type { CaseFile } from './records';
import { ACTION_OF_FORM } from './forms';

const day = (iso: string) => showDate(iso.slice(0, 10));

/** "Fewer incidents." reads "Fewer incidents" before a colon. */
export const withoutStop = (s: string) => s.replace(/[\s.;:,]+$/, '');

export const needsLine = (c: CaseRecord) => c.request.needs.map((n) => NEED_AREA_LABELS[n]).join('; ');

/** A description that identifies no one: "Individual pupil, Year 4" or "Whole class, Year 4". */
export function pseudonym(c: CaseRecord): string {
  return c.request.kind === 'individual'
    ? `Individual pupil, ${c.request.yearGroup}`
    : `Whole class${c.request.className ? ` ${c.request.className}` : ''}, ${c.request.yearGroup}`;
}

/** The button on a notification that opens its case. */
export const openCaseAction = (c: CaseRecord): CardAction[] => [
  action('Open case', 'openCase', { caseId: c.id }),
];

/** The line a notification carries so a busy reader knows which case it is, without naming a pupil. */
export const aboutCase = (c: CaseRecord) => [{ title: c.ref, value: pseudonym(c) }];

export function subjectFor(viewer: Person, c: CaseRecord): string {
  if (!maySeeNamed(viewer, c)) return pseudonym(c);
  return c.request.kind === 'individual'
    ? `${c.request.pupilName}, ${c.request.yearGroup}`
    : `Whole class${c.request.className ? ` ${c.request.className}` : ''}, ${c.request.yearGroup}`;
}

const FORM_TITLES: Record<CaseAction, string | undefined> = {
  return: 'Return with a question',
  resubmit: 'Answer and resubmit',
  accept: 'Accept and plan observation',
  assess: 'Record assessment',
  propose: 'Write proposal',
  withdraw: 'Withdraw request',
  vote: undefined,
  commission: 'Commission packages',
  spend: 'Record spend',
  review: 'Move review dates',
  outcome: 'Record outcomes',
  close: 'Close case',
  reopen: 'Reopen case',
};

/** The review waiting to be recorded next, if any. */
export const nextReview = (reviews: readonly ReviewRecord[]) =>
  [...reviews].filter((r) => r.status === 'open').sort((a, b) => a.due.localeCompare(b.due))[0];

/** Buttons for what is waiting on this viewer. Reviews, when known, decide whether outcomes can be recorded. */
export function caseActions(viewer: Person, c: CaseRecord, reviews?: readonly ReviewRecord[]): CardAction[] {
  const out: CardAction[] = [];
  const next = reviews && nextReview(reviews);
  for (const a of actionsFor(viewer, c)) {
    const title = FORM_TITLES[a];
    const form = CASE_FORMS.find((f) => ACTION_OF_FORM[f] === a);
    if (title === undefined || form === undefined) continue;
    if ((a === 'outcome' || a === 'review') && reviews && !next) continue;
    if (a === 'outcome' && next) {
      out.push(action(`Record ${next.kind} review`, 'showForm', { caseId: c.id, form, review: next.kind }));
      continue;
    }
    out.push(
      action(
        a === 'propose' && c.status === 'changes_requested' ? 'Revise proposal' : title,
        'showForm',
        { caseId: c.id, form },
        a === 'withdraw' || a === 'close' ? 'destructive' : 'default',
      ),
    );
  }
  // The co-ordinator and admins may read the case's chronology from the audit trail.
  if (hasRole(viewer, 'coordinator', 'admin')) out.push(action('History', 'history', { caseId: c.id }));
  out.push(action('My cases', 'myCases'));
  return out;
}

/** "10 × £45.00 = £450.00", or "2 × £550.00 a day = £1,100.00" for a provider who charges by the day. */
export const costLine = (i: Intervention) =>
  `${i.sessions} × ${formatPence(i.unitCostPence)}${i.unit === 'day' ? ' a day' : ''} = ${formatPence(i.sessions * i.unitCostPence)}`;

/** One line per intervention; a provider typed in rather than chosen from the directory is flagged as such. */
export function interventionLines(p: ProposalRecord): string {
  return p.interventions
    .map((i) => {
      const provider = i.providerId ? i.provider : `${i.provider} (another provider, not in the directory)`;
      return `${INTERVENTION_LABELS[i.type]}: ${provider}, ${costLine(i)}`;
    })
    .join('\n');
}

/** What the case waits on, from this viewer's side: only what they can act on here counts as theirs. */
function waitingLine(
  viewer: Person,
  c: CaseRecord,
  review?: ReviewRecord,
  today?: string,
): { text: string; mine: boolean } {
  const mine = actionsFor(viewer, c);
  if (mine.includes('vote')) return { text: "Waiting on your vote in the panel's chat", mine: true };
  if (mine.includes('outcome') && review) {
    const overdue = today !== undefined && review.due < today;
    return {
      text: `${overdue ? 'Overdue' : 'Waiting on you'}: ${review.kind} review ${overdue ? 'was due' : 'due'} ${day(review.due)}`,
      mine: true,
    };
  }
  if (mine.some((a) => a !== 'withdraw' && a !== 'reopen' && FORM_TITLES[a] !== undefined))
    return { text: 'Waiting on you', mine: true };
  return { text: `Waiting on ${waitingOn(c)}`, mine: false };
}

export function statusLine(viewer: Person, c: CaseRecord, review?: ReviewRecord, today?: string): string {
  return `${STATUS_LABELS[c.status]} · ${waitingLine(viewer, c, review, today).text.replace(/^[WO]/, (m) => m.toLowerCase())}`;
}

/** The case card's content for this viewer. Free text is redacted for anyone who may not see the pupil's name. */
export function caseView(
  viewer: Person,
  file: CaseFile,
  directory: Directory,
  today?: string,
): Omit<CaseCardData, 'banner'> {
  const c = file.case;
  const named = maySeeNamed(viewer, c);
  const t = (s: string) => (named ? s : redactName(s, c.request.pupilName));
  const school = directory.school(c.schoolId);
  // Those who may not see the pupil see the school's phase, not the school or who raised it, as on the panel card.
  const facts = [
    named
      ? { title: 'School', value: directory.schoolName(c.schoolId) }
      : { title: 'School', value: school ? `A ${school.phase.replace('-', ' ')} school` : 'A school' },
    {
      title: 'Request for',
      value: c.request.kind === 'individual' ? 'An individual pupil' : 'A whole class',
    },
    { title: 'Needs areas', value: needsLine(c) },
    {
      title: 'Raised',
      value: named
        ? `${day(c.raisedAt)} by ${directory.person(c.raisedBy)?.name ?? 'the school'}`
        : day(c.raisedAt),
    },
  ];
  if (file.assessment) facts.push({ title: 'Observed', value: day(file.assessment.observedOn) });
  else if (c.observationDate) facts.push({ title: 'Observation planned', value: day(c.observationDate) });
  if (file.proposal) facts.push({ title: 'Proposal total', value: formatPence(file.proposal.totalPence) });
  if (file.proposal) facts.push({ title: 'Review date', value: day(file.proposal.reviewDate) });
  // Those who may not see the pupil (panel members, admins) see what the panel card shows, and no more: the
  // school's own words and the observation stay with the school and the co-ordinator.
  const sections: { heading: string; text: string }[] = [];
  if (named) {
    sections.push(
      { heading: 'What the school has tried', text: c.request.tried },
      { heading: 'What the school is asking for', text: c.request.asked },
    );
    if (file.consent) {
      sections.push({
        heading: 'Parental consent',
        text: `Given by ${file.consent.givenBy} on ${day(file.consent.date)}, ${CONSENT_METHOD_LABELS[file.consent.method].toLowerCase()}.`,
      });
    }
    if (c.question) sections.push({ heading: "The co-ordinator's question", text: c.question });
    if (c.answer) sections.push({ heading: "The school's answer", text: c.answer });
    if (file.assessment) {
      sections.push({
        heading: `Observed on ${day(file.assessment.observedOn)}`,
        text: file.assessment.findings,
      });
    }
  }
  if (file.assessment)
    sections.push({ heading: 'Needs identified', text: t(file.assessment.needsIdentified) });
  if (file.proposal) {
    sections.push({
      heading: `Proposal (round ${file.proposal.round})`,
      text: t(interventionLines(file.proposal)),
    });
    sections.push({ heading: 'Rationale', text: t(file.proposal.rationale) });
    sections.push({ heading: 'Expected outcomes', text: t(file.proposal.outcomes) });
  }
  if (file.decision) {
    const d = file.decision;
    sections.push({ heading: 'Panel decision', text: `${STATUS_LABELS[d.outcome]}: ${tallyText(d.tally)}.` });
    // Only the co-ordinator sees which head teacher said what; the school sees the panel's comments unattributed.
    const who = (voter: string) =>
      hasRole(viewer, 'coordinator') ? (directory.person(voter)?.name ?? 'A member') : 'A panel member';
    const comments = file.votes.filter((v) => v.comment).map((v) => `${who(v.voter)}: ${v.comment}`);
    if (comments.length) sections.push({ heading: "Panel members' comments", text: t(comments.join('\n')) });
    if (d.overBudgetPence)
      sections.push({
        heading: 'Over budget',
        text: `The panel voted to approve, but the proposal was ${formatPence(d.overBudgetPence)} more than the budget available.`,
      });
  }
  if (file.packages.length) {
    const ofPackage = (id: string) => file.spends.filter((x) => x.packageId === id);
    const spentOn = (id: string) => sumPence(ofPackage(id), (x) => x.amountPence);
    const agreed = sumPence(file.packages, (p) => p.agreedPence);
    const spent = sumPence(file.spends, (x) => x.amountPence);
    // A closed case keeps committed only what it spent: the rest went back to the year's budget.
    facts.push({
      title: 'Committed',
      value:
        c.status === 'closed'
          ? `${formatPence(spent)} (${c.budgetYear ?? 'no year'}; the rest went back when the case closed)`
          : `${formatPence(agreed)} (${c.budgetYear ?? 'no year'})`,
    });
    facts.push({ title: 'Spent', value: formatPence(spent) });
    sections.push({
      heading: 'Packages',
      text: file.packages
        .map((p) => {
          const sessions = ofPackage(p.id).reduce((n, x) => n + x.sessionsDelivered, 0);
          const over = spentOn(p.id) > p.agreedPence ? ' (over the agreed cost)' : '';
          const above = p.aboveApprovalReason
            ? ` (the panel approved ${formatPence(p.approvedPence)}: ${p.aboveApprovalReason})`
            : '';
          return `${INTERVENTION_LABELS[p.type]}: ${p.providerName}, ${day(p.startDate)} to ${day(p.endDate)}. Agreed ${formatPence(p.agreedPence)}${above}, spent ${formatPence(spentOn(p.id))}${over}, ${sessions} of ${p.sessions} sessions delivered.`;
        })
        .join('\n'),
    });
  }
  for (const r of file.reviews) {
    const o = r.outcome;
    const lines = o
      ? [
          ...o.progress.map((x) => `${withoutStop(x.outcome)}: ${PROGRESS_LABELS[x.level]}`),
          ...(o.measure
            ? [`${o.measure}: ${o.baseline ?? '–'} at the start, ${o.end ?? '–'} at review`]
            : []),
          ...(named ? [`Notes: ${o.notes}`] : []),
        ]
      : c.status === 'closed'
        ? ['Not held: the case closed first.']
        : [`Due ${day(r.due)}${today && r.due < today ? ' (overdue)' : ''}`];
    sections.push({
      heading: `${r.kind === 'interim' ? 'Interim' : 'Final'} review${o ? `, recorded ${day(o.recordedAt)}` : ''}`,
      text: t(lines.join('\n')),
    });
  }
  if (c.status === 'closed' && c.closureReason) {
    sections.push({
      heading: `Closed: ${CLOSURE_LABELS[c.closureReason]}`,
      text: named && c.closureNote ? c.closureNote : c.closedAt ? `On ${day(c.closedAt)}.` : '',
    });
  }
  if (c.reopenReason) sections.push({ heading: 'Reopened', text: t(c.reopenReason) });
  // Documents carry names: listed for those who may see the named case; anyone else is told only how many there are.
  if (named && file.files.length)
    sections.push({
      heading: `Documents (${file.files.length})`,
      text: file.files.map((f) => `${breakable(f.name)} (${FILE_KIND_LABELS[f.kind]})`).join('\n'),
    });
  else if (file.files.length) facts.push({ title: 'Evidence', value: documentsLine(file.files.length) });
  // The transfer is the co-ordinator's: the sending school's view of its case does not change.
  if (file.transfer && hasRole(viewer, 'coordinator')) {
    const tr = file.transfer;
    sections.push({
      heading: `Transferred to ${directory.schoolName(tr.toSchoolId)}`,
      text: `On ${day(tr.transferredAt)}, with consent given by ${tr.consent.givenBy} on ${day(tr.consent.date)}, ${CONSENT_METHOD_LABELS[tr.consent.method].toLowerCase()}. ${tr.fileIds.length} document${tr.fileIds.length === 1 ? '' : 's'} sent.`,
    });
  }
  if (c.linkedFrom && named)
    facts.push({ title: 'Follows', value: 'A case transferred from the previous school' });
  const next = nextReview(file.reviews);
  return {
    ref: c.ref,
    subject: subjectFor(viewer, c),
    statusLine: statusLine(viewer, c, next, today),
    facts,
    sections,
    actions: [
      ...(missingFromPanel(viewer, file)
        ? [action('Post to the panel again', 'repostPanel', { caseId: c.id })]
        : []),
      ...(named ? [action(`Documents (${file.files.length})`, 'caseFiles', { caseId: c.id })] : []),
      ...(hasRole(viewer, 'coordinator') &&
      !file.transfer &&
      mayTransferNow(c, school?.phase, today ?? c.updatedAt.slice(0, 10), directory.terms)
        ? [action('Transfer to new school', 'transferForm', { caseId: c.id })]
        : []),
      ...(file.transfer && hasRole(viewer, 'coordinator')
        ? [action('Transfer', 'openTransfer', { caseId: c.id })]
        : []),
      ...caseActions(viewer, c, c.status === 'commissioned' ? file.reviews : undefined),
    ],
  };
}

/** What those who may not see documents are told of them: "3 documents with the co-ordinator". */
export const documentsLine = (n: number) => `${n} document${n === 1 ? '' : 's'} with the co-ordinator`;

/** The co-ordinator's way out when the panel's card could not reach the panel chat (not while it is on its way). */
const missingFromPanel = (viewer: Person, file: CaseFile) =>
  hasRole(viewer, 'coordinator') &&
  file.case.status === 'proposed' &&
  file.proposal !== undefined &&
  !file.proposal.panelMessageId &&
  (file.panelPost === 'failed' || file.panelPost === 'missing');

export function caseRow(viewer: Person, c: CaseRecord, review?: ReviewRecord, today?: string): CaseRow {
  const waiting = waitingLine(viewer, c, review, today);
  return {
    caseId: c.id,
    ref: c.ref,
    status: STATUS_LABELS[c.status],
    label: subjectFor(viewer, c),
    waiting: waiting.text,
    mine: waiting.mine,
  };
}

export const tallyText = (t: { approve: number; decline: number; changes: number }) =>
  `${t.approve} approve, ${t.decline} decline, ${t.changes} request changes`;

const OUTCOME_TONE: Record<string, Tone> = {
  approved: 'good',
  declined: 'attention',
  changes_requested: 'warning',
};

/** The budget as a card shows it at the moment it is shown. */
export interface BudgetNow {
  year: string;
  set: boolean;
  availablePence: number;
}

export const budgetLine = (b: BudgetNow) =>
  b.set ? `${formatPence(b.availablePence)} available in ${b.year}` : `No allocation set for ${b.year} yet`;

/** Who cast a vote, as the panel reads it: "Owen Pritchard, for Grace Adeyemi" when a substitute cast it. */
export const voterName = (directory: Directory, v: Pick<VoteRecord, 'voter' | 'castBy'>) => {
  const member = directory.person(v.voter)?.name ?? 'A member';
  return v.castBy ? `${directory.person(v.castBy)?.name ?? 'A substitute'}, for ${member}` : member;
};

/**
 * How a panel member stands on a proposal today: the seats they vote in (their own, and any they hold as a
 * substitute), or their absence while someone else holds their vote.
 */
export interface Standing {
  seats: Seat[];
  away?: SubstitutionRecord;
}

/**
 * The panel's pseudonymised view of a proposal. Without a viewer it is the copy everyone shares; with one it says
 * how that member stands (voted, or conflicted).
 */
export function panelView(
  file: CaseFile & { proposal: ProposalRecord },
  directory: Directory,
  viewer?: Person,
  note?: { text: string; tone: Tone },
  budget?: BudgetNow,
  standing?: Standing,
): Omit<PanelCardData, 'userIds'> {
  const c = file.case;
  const p = file.proposal;
  const school = directory.school(c.schoolId);
  const r = (s: string) => redactName(s, c.request.pupilName);
  const decided = file.decision;
  const live = c.status === 'proposed' && c.round === p.round && !decided;
  const t = decided?.tally ?? tally(file.votes.map((v) => v.choice));
  const cast = file.votes.length;
  const quorum = directory.panel.quorum;
  const voters = file.votes.map((v) => voterName(directory, v));
  const voteIn = (member: string) => file.votes.find((v) => v.voter.toLowerCase() === member.toLowerCase());
  const mine = viewer && voteIn(viewer.aadObjectId);
  // With substitutions: the first seat this viewer still has to vote in, and whose it is.
  const next = standing?.seats.find((s) => !voteIn(s.member.aadObjectId));
  const held = standing?.seats.filter((s) => s.substituted) ?? [];
  // Who votes here: a panel member, or a head standing in for one (their seats come from the stored substitutions).
  const votes = viewer && (hasRole(viewer, 'panel') || held.length > 0);
  let personal = note;
  if (!personal && viewer) {
    if (isOwnSchool(viewer, c))
      personal = { text: "You can't vote on this case: your school raised it.", tone: 'warning' };
    // Away, unless the seat stayed theirs on this case (their substitute cannot vote on it).
    else if (standing?.away && !mine && !standing.seats.some((s) => !s.substituted))
      personal = {
        text: `You're away until ${day(standing.away.to)}: ${directory.person(standing.away.substitute)?.name ?? 'your substitute'} votes in your place.`,
        tone: 'warning',
      };
    else if (live && next?.substituted)
      personal = {
        text: `${viewer.name}, you hold ${next.member.name}'s vote while they are away: these buttons vote for ${next.member.name}.`,
        tone: 'default',
      };
    else if (mine)
      personal = {
        text: `You voted to ${CHOICE_WORDS[mine.choice]}.${held
          .map((s) => voteIn(s.member.aadObjectId))
          .filter((v) => v)
          .map((v) => ` For ${directory.person(v!.voter)?.name ?? 'a member'}: ${CHOICE_WORDS[v!.choice]}.`)
          .join('')}`,
        tone: 'accent',
      };
    else if (held.length && !next)
      personal = {
        text: held
          .map(
            (s) => `You voted for ${s.member.name} to ${CHOICE_WORDS[voteIn(s.member.aadObjectId)!.choice]}.`,
          )
          .join(' '),
        tone: 'accent',
      };
    else if (!votes) personal = { text: 'Only panel members can vote.', tone: 'warning' };
    else if (live) personal = { text: `${viewer.name}, you haven't voted yet.`, tone: 'default' };
  }
  const open = live && !(viewer && (isOwnSchool(viewer, c) || !votes || (standing ? !next : Boolean(mine))));
  const outcome: { text: string; tone: Tone } | undefined = decided
    ? {
        text: decided.overBudgetPence
          ? `Decided: ${STATUS_LABELS[decided.outcome]}. The panel voted to approve, but the proposal was ${formatPence(decided.overBudgetPence)} over the budget available.`
          : `Decided: ${STATUS_LABELS[decided.outcome]}`,
        tone: OUTCOME_TONE[decided.outcome] ?? 'default',
      }
    : live
      ? undefined
      : {
          text: `This proposal has moved on: ${c.ref} is now ${STATUS_LABELS[c.status].toLowerCase()}.`,
          tone: 'default',
        };
  const sections = [{ heading: 'Interventions', text: r(interventionLines(p)) }];
  if (file.assessment)
    sections.push({ heading: 'Needs identified', text: r(file.assessment.needsIdentified) });
  sections.push(
    { heading: 'Rationale', text: r(p.rationale) },
    { heading: 'Expected outcomes', text: r(p.outcomes) },
  );
  const data = { caseId: c.id, round: p.round };
  return {
    caseId: c.id,
    round: p.round,
    ref: c.ref,
    subject: `${pseudonym(c)}${school ? `, ${school.phase.replace('-', ' ')} school` : ''}`,
    facts: [
      { title: 'Needs areas', value: needsLine(c) },
      { title: 'Total cost', value: formatPence(p.totalPence) },
      ...(budget && live ? [{ title: 'Budget now', value: budgetLine(budget) }] : []),
      { title: 'Review date', value: day(p.reviewDate) },
      // A proposal carried over from an earlier meeting is decided at the one its deadline moved to.
      ...(p.meetingId
        ? [{ title: 'Panel meeting', value: `${day(p.deadline ?? p.meetingId)} (decide by then)` }]
        : p.deadline
          ? [{ title: 'Decide by', value: day(p.deadline) }]
          : []),
      ...(file.files.length ? [{ title: 'Evidence', value: documentsLine(file.files.length) }] : []),
      { title: 'Decision rule', value: `${quorum} votes, simple majority; a tie means changes requested` },
    ],
    sections,
    tallyLine: decided
      ? `${tallyText(t)}.`
      : `${tallyText(t)}. ${cast} of the ${quorum} votes needed ${cast === 1 ? 'has' : 'have'} been cast.`,
    votedLine: voters.length ? `Voted: ${voters.join('; ')}` : '',
    ...(outcome ? { outcome } : {}),
    ...(personal ? { personal } : {}),
    open,
    live,
    actions: (() => {
      // A substitute's own view names the seat its buttons vote in; the shared copy never does.
      const seat: Record<string, string> =
        viewer && next?.substituted ? { for: next.member.aadObjectId } : {};
      return [
        action('Approve', 'vote', { ...data, ...seat, choice: 'approve' }, 'positive'),
        action('Request changes', 'vote', { ...data, ...seat, choice: 'changes' }),
        action('Decline', 'vote', { ...data, ...seat, choice: 'decline' }, 'destructive'),
      ];
    })(),
  };
}

/** A vote as words: "you voted to …". */
export const CHOICE_WORDS = { approve: 'approve', decline: 'decline', changes: 'request changes' } as const;
