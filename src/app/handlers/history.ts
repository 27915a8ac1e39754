// A case's History: its chronology from the audit trail, for the co-ordinator and admins only.
import { EipError, hasRole, londonDate } from '../../domain';
import { action, historyCard } from '../../cards';
import { caseRef } from '../action-data';
import { chronology } from '../privacy/chronology';
import { audit, loadCase } from '../records';
import { statusLine, subjectFor } from '../views';
import type { Handler } from './context';

/** A card holds so much: the latest steps are shown, and the card says how many earlier ones are left off. */
const MAX_ROWS = 60;

export const history: Handler = async ({ deps, actor, req }) => {
  const { caseId } = caseRef(req.data);
  if (!hasRole(actor.person, 'coordinator', 'admin'))
    throw new EipError('forbidden', "Only the EIP co-ordinator or an admin can see a case's history.");
  const c = (await loadCase(deps, caseId)).value;
  const { lines, reads } = chronology(await deps.store.audit.list(c.id), deps.directory);
  await audit(deps, actor, 'history', c.id, `${c.ref} history opened`);
  const shown = lines.slice(-MAX_ROWS);
  return historyCard({
    ref: c.ref,
    subject: subjectFor(actor.person, c),
    statusLine: statusLine(actor.person, c, undefined, londonDate(deps.now())),
    ...(shown.length < lines.length
      ? { note: `Showing the latest ${shown.length} of ${lines.length} steps.` }
      : {}),
    rows: shown,
    reads,
    actions: [action('Open case', 'openCase', { caseId: c.id }), action('My cases', 'myCases')],
  });
};
