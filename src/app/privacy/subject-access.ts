// A subject access export: everything EIP bot holds about one pupil, as a JSON file and a readable Markdown file on
// the server (never in a chat), for the LA's data protection officer to check and release. Other pupils never appear:
// only the pupil's own cases are read, and any other pupil's name held in the store is replaced in the free text.
// Staff are named, as they acted in a professional capacity; panel members' comments are withheld. The rule, and the
// ICO and DfE guidance it follows, are in docs/data-protection.md.
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  CLOSURE_LABELS,
  CONSENT_METHOD_LABELS,
  EipError,
  FILE_KIND_LABELS,
  INTERVENTION_LABELS,
  NEED_AREA_LABELS,
  PROGRESS_LABELS,
  STATUS_LABELS,
  formatPence,
  type AuditEntry,
  type CaseRecord,
  type FileRecord,
} from '../../domain';
import { filesOf } from '../files/services';
import { CASE_COLLECTIONS, type CaseCollection, type Collection, type Store } from '../../store/store';
import type { Actor } from '../identity';
import type { AppDeps } from '../ports';
import { audit, auditActor } from '../records';
import { chronology, londonTime, whoDid, NO_LONGER_IN_DIRECTORY } from './chronology';
import { nameKey, samePupil } from './pupil';
import { privacyOf } from './settings';

/** What the admin is told: where the files are and what they cover, by case reference only. */
export interface SubjectAccessResult {
  ref: string;
  /** The pupil's cases the export holds, oldest first. */
  cases: string[];
  /** Cases naming the pupil at another school or a year group either side: not exported; someone must check them. */
  possible: string[];
  files: { json: string; text: string };
  /** The folder the case's documents were copied into, when it has any. */
  documents?: string;
  records: number;
}

const REF = /^EIP-\d{4}-\d{4,}$/;

/** The words a panel member's comment is replaced with. */
export const WITHHELD_COMMENT = "[withheld: a panel member's comment from the panel's deliberation]";
export const ANOTHER_PUPIL = '[another pupil]';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const plain = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '');
const nameParts = (name: string) =>
  name
    .split(/[\s,]+/)
    .flatMap((w) => [w, ...w.split(/[-'’]/)])
    .map((w) => w.trim())
    .filter((w) => w.length >= 2);

/**
 * Replaces the names of other pupils held in the store with "[another pupil]": each part of their names that is not
 * also part of this pupil's, as a capitalised word (so "Will" is taken for a name and "will" is not), with or without
 * accents. It cannot know names the store does not hold, which is why the export is checked before release.
 */
export function otherPupilsRedactor(
  subjectName: string,
  others: readonly string[],
): (text: string) => string {
  const own = new Set(nameParts(subjectName).map(nameKey));
  const parts = new Set<string>();
  for (const name of others)
    for (const part of nameParts(name))
      if (!own.has(nameKey(part)))
        for (const form of [part, plain(part), part.toUpperCase(), plain(part).toUpperCase()])
          parts.add(form);
  if (parts.size === 0) return (text) => text;
  const sorted = [...parts].sort((a, b) => b.length - a.length).map(escape);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${sorted.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  const run = new RegExp(`${escape(ANOTHER_PUPIL)}(?:[ \\t]+${escape(ANOTHER_PUPIL)})+`, 'g');
  return (text) => text.replace(pattern, ANOTHER_PUPIL).replace(run, ANOTHER_PUPIL);
}

/** The pupil's cases (the one asked about, and every other naming them at the same school in the same cohort). */
async function findCases(deps: AppDeps, ref: string) {
  const wanted = ref.trim().toUpperCase();
  if (!REF.test(wanted))
    throw new EipError('not_found', 'Give the case reference, such as: subject access EIP-2026-0001');
  const all = (await deps.store.cases.find()).map((s) => s.value);
  const subject = all.find((c) => c.ref === wanted);
  if (!subject) throw new EipError('not_found', `There is no case ${wanted}.`);
  if (subject.request.kind !== 'individual' || !subject.request.pupilName)
    throw new EipError(
      'not_found',
      `${wanted} is a request for a whole class: it holds no one pupil's details. Give the reference of the pupil's own case.`,
    );
  const byRaised = (a: CaseRecord, b: CaseRecord) => a.raisedAt.localeCompare(b.raisedAt);
  // The pupil's cases at their school, then those joined to them by a transfer: the request a receiving school raised
  // following one of them (its `linkedFrom`), and the case one of them followed, however the name was written there.
  const mine = new Set(all.filter((c) => samePupil(subject, c) === 'same').map((c) => c.id));
  for (let grew = true; grew;) {
    grew = false;
    for (const c of all) {
      if (c.request.kind !== 'individual' || !c.linkedFrom) continue;
      if (mine.has(c.linkedFrom) !== mine.has(c.id)) {
        mine.add(c.id);
        mine.add(c.linkedFrom);
        grew = true;
      }
    }
  }
  const cases = all.filter((c) => mine.has(c.id)).sort(byRaised);
  const ownNames = new Set(cases.map((c) => nameKey(c.request.pupilName ?? '')));
  return {
    subject,
    cases,
    possible: all.filter((c) => !mine.has(c.id) && samePupil(subject, c) === 'possible').sort(byRaised),
    otherNames: all
      .filter((c) => c.request.kind === 'individual' && c.request.pupilName)
      .map((c) => c.request.pupilName!)
      .filter((n) => !ownNames.has(nameKey(n))),
  };
}

/** The records of one kind held on a case. */
type CaseRecordsOf = { [K in CaseCollection]: Store[K] extends Collection<infer T> ? T[] : never };

/** Everything held on one case, read at once: every collection whose records belong to a case, and its audit trail. */
async function caseRecords(deps: AppDeps, caseId: string): Promise<CaseRecordsOf & { trail: AuditEntry[] }> {
  const [found, trail] = await Promise.all([
    Promise.all(
      CASE_COLLECTIONS.map(async (name) => {
        const collection = deps.store[name] as unknown as Collection<{ id: string; caseId?: string }>;
        return [name, (await collection.find({ caseId })).map((r) => r.value)] as const;
      }),
    ),
    deps.store.audit.list(caseId),
  ]);
  return { ...(Object.fromEntries(found) as CaseRecordsOf), trail };
}

type Records = Awaited<ReturnType<typeof caseRecords>>;

/** One case as the export holds it: every field, staff by name, free text with other pupils' names replaced. */
function caseExport(
  deps: AppDeps,
  c: CaseRecord,
  r: Records,
  t: (s: string) => string,
  missing: ReadonlySet<string> = new Set(),
) {
  const who = (id: string | undefined) => (id ? whoDid(id, deps.directory) : NO_LONGER_IN_DIRECTORY);
  const byRound = <T extends { round: number }>(xs: T[]) => [...xs].sort((a, b) => a.round - b.round);
  const history = chronology(r.trail, deps.directory);
  return {
    ref: c.ref,
    school: deps.directory.schoolName(c.schoolId),
    status: STATUS_LABELS[c.status],
    raised: { at: c.raisedAt, by: who(c.raisedBy) },
    request: {
      pupilName: t(c.request.pupilName ?? ''),
      yearGroup: c.request.yearGroup,
      needs: c.request.needs.map((n) => NEED_AREA_LABELS[n]),
      tried: t(c.request.tried),
      asked: t(c.request.asked),
      ...(c.question ? { question: t(c.question) } : {}),
      ...(c.answer ? { answer: t(c.answer) } : {}),
      ...(c.observationDate ? { observationDate: c.observationDate } : {}),
    },
    consent: r.consents.map((x) => ({
      givenBy: t(x.givenBy),
      date: x.date,
      method: CONSENT_METHOD_LABELS[x.method],
      recordedBy: who(x.recordedBy),
      recordedAt: x.recordedAt,
    })),
    assessments: r.assessments.map((a) => ({
      observedOn: a.observedOn,
      findings: t(a.findings),
      needsIdentified: t(a.needsIdentified),
      recordedBy: who(a.recordedBy),
      recordedAt: a.recordedAt,
    })),
    proposals: byRound(r.proposals).map((p) => ({
      round: p.round,
      interventions: p.interventions.map((i) => ({
        type: INTERVENTION_LABELS[i.type],
        provider: t(i.provider),
        sessions: i.sessions,
        unitCost: formatPence(i.unitCostPence),
        ...(i.unit ? { unit: i.unit } : {}),
      })),
      total: formatPence(p.totalPence),
      rationale: t(p.rationale),
      outcomes: t(p.outcomes),
      reviewDate: p.reviewDate,
      proposedBy: who(p.proposedBy),
      proposedAt: p.proposedAt,
    })),
    votes: byRound(r.votes).map((v) => ({
      round: v.round,
      voter: who(v.voter),
      choice: v.choice,
      castAt: v.castAt,
      ...(v.comment ? { comment: WITHHELD_COMMENT } : {}),
    })),
    decisions: byRound(r.decisions).map((d) => ({
      round: d.round,
      outcome: STATUS_LABELS[d.outcome],
      tally: d.tally,
      decidedAt: d.decidedAt,
      ...(d.overBudgetPence ? { overBudgetBy: formatPence(d.overBudgetPence) } : {}),
    })),
    packages: r.packages.map((p) => ({
      type: INTERVENTION_LABELS[p.type],
      provider: t(p.providerName),
      sessions: p.sessions,
      approved: formatPence(p.approvedPence),
      agreed: formatPence(p.agreedPence),
      ...(p.aboveApprovalReason ? { aboveApprovalReason: t(p.aboveApprovalReason) } : {}),
      from: p.startDate,
      to: p.endDate,
      commissionedBy: who(p.commissionedBy),
      commissionedAt: p.commissionedAt,
    })),
    spends: r.spends.map((x) => ({
      type: INTERVENTION_LABELS[x.type],
      invoiceRef: t(x.invoiceRef),
      amount: formatPence(x.amountPence),
      sessionsDelivered: x.sessionsDelivered,
      deliveredOn: x.deliveredOn,
      ...(x.overReason ? { overReason: t(x.overReason) } : {}),
      recordedBy: who(x.recordedBy),
      recordedAt: x.recordedAt,
    })),
    reviews: [...r.reviews]
      .sort((a, b) => a.due.localeCompare(b.due))
      .map((v) => ({
        kind: v.kind,
        due: v.due,
        status: v.status,
        ...(v.outcome
          ? {
              outcome: {
                progress: v.outcome.progress.map((p) => ({
                  outcome: t(p.outcome),
                  level: PROGRESS_LABELS[p.level],
                })),
                ...(v.outcome.measure
                  ? { measure: t(v.outcome.measure), baseline: v.outcome.baseline, end: v.outcome.end }
                  : {}),
                notes: t(v.outcome.notes),
                recordedBy: who(v.outcome.recordedBy),
                recordedAt: v.outcome.recordedAt,
              },
            }
          : {}),
      })),
    ...(c.closureReason
      ? {
          closure: {
            reason: CLOSURE_LABELS[c.closureReason],
            ...(c.closureNote ? { note: t(c.closureNote) } : {}),
            ...(c.closedAt ? { at: c.closedAt } : {}),
          },
        }
      : {}),
    ...(c.reopenReason ? { reopened: { reason: t(c.reopenReason), at: c.reopenedAt } } : {}),
    reminders: r.reminders.map((m) => ({ kind: m.kind, to: who(m.to), due: m.due, status: m.status })),
    // The documents themselves are copied beside the export, each under the name given here.
    documents: r.files.map((f) => ({
      name: t(f.name),
      kind: FILE_KIND_LABELS[f.kind],
      size: f.size,
      sha256: f.sha256,
      addedBy: who(f.addedBy),
      addedAt: f.addedAt,
      // A document whose bytes were not in storage has no copy: the export says so rather than name a file not there.
      ...(missing.has(f.id)
        ? { missing: 'not found in storage when this export was made: tell the co-ordinator' }
        : { copy: documentCopyName(c, f) }),
    })),
    ...(r.transfers[0]
      ? {
          transfer: {
            to: deps.directory.schoolName(r.transfers[0].toSchoolId),
            consent: {
              givenBy: t(r.transfers[0].consent.givenBy),
              date: r.transfers[0].consent.date,
              method: CONSENT_METHOD_LABELS[r.transfers[0].consent.method],
            },
            summary: {
              tried: t(r.transfers[0].summary.tried),
              worked: t(r.transfers[0].summary.worked),
              outcomes: t(r.transfers[0].summary.outcomes),
              needs: t(r.transfers[0].summary.needs),
            },
            documentsSent: r.transfers[0].fileIds.length,
            by: who(r.transfers[0].transferredBy),
            at: r.transfers[0].transferredAt,
          },
        }
      : {}),
    // What each message said repeats the records above; when it was queued and whether it went is what is added.
    messages: r.outbox.map((m) => ({
      state: m.state,
      createdAt: m.createdAt,
      ...(m.sentAt ? { sentAt: m.sentAt } : {}),
    })),
    history: history.lines.map(({ when, who: by, what, change }) => ({ when, who: by, what, change })),
    openedBy: history.reads,
  };
}

type CaseExport = ReturnType<typeof caseExport>;

/** Where a document's copy goes in the export's documents folder: by case reference, then a short id and the name. */
const documentCopyName = (c: CaseRecord, f: FileRecord) =>
  `${c.ref}/${f.id.slice(-8).replace(/[^\w-]/g, '_')}-${f.name}`;

/** The readable version: one section per case, in the order the export holds them. */
function markdown(
  about: Record<string, unknown> & { cases: string[]; possible: string[] },
  cases: CaseExport[],
) {
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  const quote = (label: string, text: string | undefined) => {
    if (!text) return;
    line(`**${label}:**`);
    for (const l of text.split('\n')) line(`> ${l}`);
    line();
  };
  line('# Subject access: what EIP bot holds about one pupil');
  line();
  line(`Made ${about.generatedAt} by ${about.generatedBy}, from ${about.requested}.`);
  line();
  line(`Cases: ${about.cases.join(', ')}.`);
  if (about.possible.length)
    line(
      `Also naming a pupil of this name, at another school or a year group either side (not included; check by hand): ${about.possible.join(', ')}.`,
    );
  line();
  line(`**Before release:** ${about.rule}`);
  line();
  for (const c of cases) {
    line(`## ${c.ref}`);
    line();
    line(`- Pupil: ${c.request.pupilName}, ${c.request.yearGroup}`);
    line(`- School: ${c.school}`);
    line(`- Status: ${c.status}`);
    line(`- Raised: ${londonTime(c.raised.at)} by ${c.raised.by}`);
    line(`- Needs: ${c.request.needs.join('; ')}`);
    if (c.request.observationDate) line(`- Observation planned: ${c.request.observationDate}`);
    line();
    quote('What the school had tried', c.request.tried);
    quote('What the school asked for', c.request.asked);
    quote("The co-ordinator's question", c.request.question);
    quote("The school's answer", c.request.answer);
    for (const x of c.consent)
      line(
        `Parental consent: given by ${x.givenBy} on ${x.date} (${x.method}), recorded by ${x.recordedBy}.\n`,
      );
    for (const a of c.assessments) {
      line(`### Assessment, observed ${a.observedOn} (recorded by ${a.recordedBy})`);
      line();
      quote('Findings', a.findings);
      quote('Needs identified', a.needsIdentified);
    }
    for (const p of c.proposals) {
      line(`### Proposal, round ${p.round} (by ${p.proposedBy}, ${londonTime(p.proposedAt)})`);
      line();
      for (const i of p.interventions)
        line(`- ${i.type}: ${i.provider}, ${i.sessions} × ${i.unitCost}${i.unit === 'day' ? ' a day' : ''}`);
      line(`- Total: ${p.total}; review date ${p.reviewDate}`);
      line();
      quote('Rationale', p.rationale);
      quote('Expected outcomes', p.outcomes);
    }
    if (c.votes.length) {
      line('### Panel votes');
      line();
      for (const v of c.votes)
        line(`- Round ${v.round}: ${v.voter} voted ${v.choice}${v.comment ? ` ${v.comment}` : ''}`);
      line();
    }
    for (const d of c.decisions)
      line(
        `Panel decision, round ${d.round}: ${d.outcome} (${d.tally.approve} approve, ${d.tally.decline} decline, ${d.tally.changes} changes)${d.overBudgetBy ? `, over budget by ${d.overBudgetBy}` : ''}.\n`,
      );
    if (c.packages.length) {
      line('### Packages and spend');
      line();
      for (const p of c.packages)
        line(
          `- ${p.type}: ${p.provider}, ${p.sessions} sessions, ${p.from} to ${p.to}, agreed ${p.agreed} (approved ${p.approved})${p.aboveApprovalReason ? `: ${p.aboveApprovalReason}` : ''}`,
        );
      for (const x of c.spends)
        line(
          `- Spent ${x.amount} on ${x.type} (${x.sessionsDelivered} sessions, ${x.deliveredOn}, invoice ${x.invoiceRef})${x.overReason ? `: ${x.overReason}` : ''}`,
        );
      line();
    }
    for (const v of c.reviews) {
      line(`### ${v.kind === 'interim' ? 'Interim' : 'Final'} review, due ${v.due} (${v.status})`);
      line();
      if (v.outcome) {
        for (const p of v.outcome.progress) line(`- ${p.outcome}: ${p.level}`);
        if (v.outcome.measure)
          line(
            `- ${v.outcome.measure}: ${v.outcome.baseline ?? '–'} at the start, ${v.outcome.end ?? '–'} at review`,
          );
        line();
        quote(`Notes (${v.outcome.recordedBy})`, v.outcome.notes);
      }
    }
    if (c.closure) {
      line(`### Closed: ${c.closure.reason}${c.closure.at ? `, ${londonTime(c.closure.at)}` : ''}`);
      line();
      quote("The co-ordinator's note", c.closure.note);
    }
    if (c.reopened) quote('Reopened', c.reopened.reason);
    if (c.reminders.length) {
      line('### Reminders sent about the case');
      line();
      for (const m of c.reminders) line(`- ${m.kind} to ${m.to}, due ${m.due} (${m.status})`);
      line();
    }
    if (c.documents.length) {
      line('### Documents kept with the case (copied into the documents folder beside this export)');
      line();
      for (const d of c.documents)
        line(
          `- ${d.kind}: ${'copy' in d ? d.copy : `${d.name}, ${d.missing}`} (${d.size} bytes, added by ${d.addedBy}, ${londonTime(d.addedAt)})`,
        );
      line();
    }
    if (c.transfer) {
      line(`### Transferred to ${c.transfer.to}, ${londonTime(c.transfer.at)}`);
      line();
      line(
        `Consent given by ${c.transfer.consent.givenBy} on ${c.transfer.consent.date} (${c.transfer.consent.method}); ${c.transfer.documentsSent} documents sent.`,
      );
      line();
      quote('What was tried', c.transfer.summary.tried);
      quote('What worked', c.transfer.summary.worked);
      quote('Outcomes', c.transfer.summary.outcomes);
      quote('Current needs', c.transfer.summary.needs);
    }
    line('### History');
    line();
    for (const h of c.history) line(`- ${h.when} · ${h.who}: ${h.what}${h.change ? `: ${h.change}` : ''}`);
    for (const r of c.openedBy)
      line(`- Opened by ${r.who}: ${r.times} time${r.times === 1 ? '' : 's'}, last ${r.last}`);
    line();
  }
  return out.join('\n');
}

/** The rule the export follows, written into it so whoever releases it knows what was done. */
export const EXPORT_RULE =
  "only this pupil's own cases are included (cases naming them at the same school, in the same school year group cohort); " +
  `any other pupil's name held by EIP bot is replaced by "${ANOTHER_PUPIL}"; staff are named, as they acted in a ` +
  "professional capacity; panel members' comments are withheld. Read the free text for anyone else it identifies " +
  '(a name EIP bot does not hold, a family member) before it is released.';

/** Writes the export for the pupil of one case; answers where it is and what it covers, never the pupil's details. */
export async function exportSubjectAccess(
  deps: AppDeps,
  by: Actor | string,
  ref: string,
): Promise<SubjectAccessResult> {
  const found = await findCases(deps, ref);
  const t = otherPupilsRedactor(found.subject.request.pupilName!, found.otherNames);
  const records = await Promise.all(found.cases.map((c) => caseRecords(deps, c.id)));
  const at = deps.now().toISOString();
  const about = {
    generatedAt: londonTime(at),
    generatedBy: whoDid(typeof by === 'string' ? by : auditActor(by), deps.directory),
    requested: `a request made on case ${found.subject.ref}`,
    cases: found.cases.map((c) => c.ref),
    possible: found.possible.map((c) => c.ref),
    rule: EXPORT_RULE,
  };
  const dir = privacyOf(deps).exportsDir;
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const base = path.join(dir, `${found.subject.ref}-subject-access-${at.replace(/[:.]/g, '-')}`);
  const files = { json: `${base}.json`, text: `${base}.md` };
  // Readable by the service's own account only; never overwrites an earlier export.
  // The documents kept with the cases are part of what is held: a copy of each, beside the export. Copied first, so
  // the export lists a copy only where there is one, and names any document storage no longer has.
  const documents = `${base}-documents`;
  const storage = filesOf(deps).documents;
  const missing = new Set<string>();
  let copied = 0;
  for (const [i, c] of found.cases.entries()) {
    for (const f of records[i]!.files) {
      const bytes = await storage.get(f.location);
      if (!bytes) {
        missing.add(f.id);
        continue;
      }
      const to = path.join(documents, documentCopyName(c, f));
      await fs.mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
      await fs.writeFile(to, bytes, { mode: 0o600, flag: 'wx' });
      copied += 1;
    }
  }
  const cases = found.cases.map((c, i) => caseExport(deps, c, records[i]!, t, missing));
  await fs.writeFile(files.json, `${JSON.stringify({ about, cases }, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  await fs.writeFile(files.text, `${markdown(about, cases)}\n`, { mode: 0o600, flag: 'wx' });
  const count = records.reduce(
    (n, r) =>
      n +
      1 +
      r.consents.length +
      r.assessments.length +
      r.proposals.length +
      r.votes.length +
      r.decisions.length +
      r.packages.length +
      r.spends.length +
      r.reviews.length +
      r.reminders.length +
      r.outbox.length +
      r.files.length +
      r.transfers.length,
    0,
  );
  for (const c of found.cases)
    await audit(
      deps,
      by,
      'subject-access',
      c.id,
      `export of ${about.cases.join(', ')} asked on ${found.subject.ref}`,
    );
  return {
    ref: found.subject.ref,
    cases: about.cases,
    possible: about.possible,
    files,
    ...(copied ? { documents } : {}),
    records: count,
  };
}
