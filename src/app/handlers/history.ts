// A case's History: its chronology from the audit trail, for the co-ordinator and admins only.
import { EipError, hasRole, londonDate } from '../../domain';
import { action, historyCard } from '../../cards';
import { caseRef } from '../action-data';
import { chronology } from '../privacy/chronology';
import { audit, loadCase } from '../records';
import { statusLine, subjectFor } from '../views';
import type { Handler } from './context';
import type { AppDeps } from '../ports';
import type { CaseRecord } from '../../domain';

/** A card holds so much: the latest steps are shown, and the card says how many earlier ones are left off. */
const MAX_ROWS = 60;

/**
 * The cases joined to this one by transfers: the case a request followed (and the one before that), and the requests
 * that followed this case at the school it was transferred to. Oldest first.
 */
async function linkedCases(deps: AppDeps, c: CaseRecord): Promise<CaseRecord[]> {
  const chain: CaseRecord[] = [c];
  for (let x = c; x.linkedFrom && chain.length < 10;) {
    const before = (await deps.store.cases.get(x.linkedFrom))?.value;
    if (!before || chain.some((y) => y.id === before.id)) break;
    chain.unshift(before);
    x = before;
  }
  for (let x = c; chain.length < 10;) {
    const t = (await deps.store.transfers.get(x.id))?.value;
    if (!t || t.withdrawnAt) break;
    const after = (await deps.store.cases.find({ schoolId: t.toSchoolId }))
      .map((s) => s.value)
      .find((y) => y.linkedFrom === x.id && !chain.some((z) => z.id === y.id));
    if (!after) break;
    chain.push(after);
    x = after;
  }
  return chain;
}

export const history: Handler = async ({ deps, actor, req }) => {
  const { caseId } = caseRef(req.data);
  if (!hasRole(actor.person, 'coordinator', 'admin'))
    throw new EipError('forbidden', "Only the EIP co-ordinator or an admin can see a case's history.");
  const c = (await loadCase(deps, caseId)).value;
  // A child's cases joined by a transfer read as one chronology: each step of another case names its reference.
  const chain = await linkedCases(deps, c);
  const parts = await Promise.all(
    chain.map(async (x) => {
      const part = chronology(await deps.store.audit.list(x.id), deps.directory);
      if (x.id === c.id) return part;
      return { ...part, lines: part.lines.map((l) => ({ ...l, what: `${x.ref}: ${l.what}` })) };
    }),
  );
  const lines = parts.flatMap((p) => p.lines).sort((a, b) => a.at.localeCompare(b.at));
  const reads = parts.flatMap((p) => p.reads);
  await audit(deps, actor, 'history', c.id, `${c.ref} history opened`);
  const shown = lines.slice(-MAX_ROWS);
  // Cut short or not, a joined history says it is one chronology of both cases.
  const note = [
    ...(chain.length > 1
      ? [
          `One chronology of ${chain.map((x) => x.ref).join(' and ')}, joined by a transfer to the next school.`,
        ]
      : []),
    ...(shown.length < lines.length ? [`Showing the latest ${shown.length} of ${lines.length} steps.`] : []),
  ];
  return historyCard({
    ref: c.ref,
    subject: subjectFor(actor.person, c),
    statusLine: statusLine(actor.person, c, undefined, londonDate(deps.now())),
    ...(note.length ? { note: note.join(' ') } : {}),
    rows: shown,
    reads,
    actions: [action('Open case', 'openCase', { caseId: c.id }), action('My cases', 'myCases')],
  });
};
