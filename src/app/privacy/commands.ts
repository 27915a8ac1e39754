// The admin's typed privacy commands: `subject access EIP-2026-0001` writes a subject access export on the server
// and says where it is; `retention` shows which closed cases the retention job would delete. Neither shows a pupil's
// details in the chat.
import { EipError, hasRole, showDate } from '../../domain';
import { noticeCard, type Card } from '../../cards';
import { runRetention } from '../../jobs/retention';
import type { Actor } from '../identity';
import type { AppDeps, TextRequest } from '../ports';
import { audit } from '../records';
import { exportSubjectAccess } from './subject-access';

/** Only an LA administrator, and only in their 1:1 chat. */
function assertAdmin(actor: Actor, req: TextRequest, what: string): void {
  if (req.conversationType !== 'personal') throw new EipError('private_only');
  if (!hasRole(actor.person, 'admin'))
    throw new EipError('forbidden', `Only an LA administrator can ${what}.`);
}

export async function subjectAccessCommand(
  deps: AppDeps,
  actor: Actor,
  req: TextRequest,
  ref: string,
): Promise<Card> {
  assertAdmin(actor, req, 'export what is held about a pupil');
  const r = await exportSubjectAccess(deps, actor, ref);
  const cases = `${r.cases.length} case${r.cases.length === 1 ? '' : 's'} (${r.cases.join(', ')})`;
  return noticeCard({
    title: `Subject access export for the pupil of ${r.ref}`,
    text: `Everything EIP bot holds about this pupil is in two files on the server: ${cases}, ${r.records} record${r.records === 1 ? '' : 's'} with their history. Other pupils' names are replaced and panel members' comments withheld; read the files before anything is released.`,
    tone: 'good',
    facts: [
      { title: 'Readable', value: r.files.text },
      { title: 'JSON', value: r.files.json },
      ...(r.documents ? [{ title: 'Documents', value: r.documents }] : []),
      ...(r.possible.length
        ? [
            {
              title: 'Check by hand',
              value: `${r.possible.join(', ')}: the same name at another school or year group, not included`,
            },
          ]
        : []),
    ],
  });
}

/** At most this many cases are listed in the chat; the command line lists them all. */
const MAX_LISTED = 25;

export async function retentionCommand(deps: AppDeps, actor: Actor, req: TextRequest): Promise<Card> {
  assertAdmin(actor, req, 'see which closed cases are due for deletion');
  const r = await runRetention(deps, { dryRun: true, by: actor });
  await audit(
    deps,
    actor,
    'retention-dry-run',
    undefined,
    `${r.due.length} closed cases past their retention period`,
  );
  const listed = r.due.slice(0, MAX_LISTED);
  return noticeCard({
    title:
      r.due.length === 0
        ? 'No closed case is past its retention period'
        : `${r.due.length} closed case${r.due.length === 1 ? ' is' : 's are'} past the retention period`,
    text: `Closed cases are kept until the pupil's date of birth + ${r.yearsAfterDob} years; with no date of birth held, the latest one the year group allows. This is a dry run: nothing was deleted. ${r.closedKept} closed case${r.closedKept === 1 ? ' is' : 's are'} still within the period.`,
    after:
      r.due.length === 0
        ? ''
        : `To delete ${r.due.length === 1 ? 'it' : 'them'} and every record that belongs to ${r.due.length === 1 ? 'it' : 'them'}, run "npm run retention" on the server.${r.due.length > listed.length ? ` The first ${listed.length} are listed here; "npm run retention -- --dry-run" lists them all.` : ''}`,
    tone: r.due.length === 0 ? 'good' : 'warning',
    facts: listed.map((i) => ({
      title: i.ref,
      value: `${i.about}; closed ${i.closedOn ? showDate(i.closedOn) : 'on an unknown date'}; kept until ${showDate(i.keptUntil)}; ${i.records} record${i.records === 1 ? '' : 's'}`,
    })),
  });
}
