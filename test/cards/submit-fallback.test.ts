// Both ways a button reaches the bot, for every verb: Teams' Action.Execute (an adaptiveCard/action invoke) and the
// Action.Submit fallback older and some mobile clients send instead (a message whose value is the fallback's data:
// the button's data, the verb, and the card's inputs). Each verb, pressed by someone allowed, gives the same card
// (the Submit path answers it as a message), the same records and the same messages to others on both paths; pressed
// by someone not allowed, it is refused on both, with nothing written and nobody told. The activities are Teams'
// shapes (test/support/harness.ts) handed to the real EipBot over a bot whose case is at the right stage
// (test/support/world.ts). Every card answered is also checked against the Adaptive Card schema.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { Activity, TurnContext } from 'botbuilder';
import { VERBS, type Card, type Verb } from '../../src/cards';
import { Router } from '../../src/app/router';
import { EipBot } from '../../src/bot/eip-bot';
import { filesOf } from '../../src/app/files/services';
import { activityFrom, pressActivity, textOf, type TestPerson } from '../support/harness';
import {
  CLASS_REQUEST,
  COMMISSION,
  OUTCOME,
  PEOPLE,
  PROPOSAL,
  Stages,
  removeWorldFiles,
  snapshot,
  warningOf,
  type Chat,
  type Stage,
  type World,
} from '../support/world';
import { assertValidCard } from './schema';
import { pdf } from '../app/files/support';

const { megan, joni, patti, alex, adele, isaiah, lynne, miriam, stranger } = PEOPLE;

interface Row {
  verb: Verb;
  at: Stage | 'none';
  /** Someone the button is for, and someone it is not for. */
  by: TestPerson;
  refused: TestPerson;
  chat?: Chat;
  data: (caseId: string) => Record<string, unknown>;
  /** What the allowed press shows. */
  shows: RegExp;
  /** Records the press needs beyond the case's stage (an absence to end), written before it. */
  given?: (w: World) => Promise<void>;
  /** Sets the world up before the press (a document kept, a case transferred); answers more data for the button. */
  prepare?: Prepare;
}

type Prepare = (w: World, caseId: string, who: TestPerson) => Promise<Record<string, unknown>>;

const r = (
  verb: Verb,
  at: Row['at'],
  by: TestPerson,
  refused: TestPerson,
  data: Row['data'],
  shows: RegExp,
  chat?: Chat,
  prepare?: Prepare,
): Row => ({
  verb,
  at,
  by,
  refused,
  data,
  shows,
  ...(chat ? { chat } : {}),
  ...(prepare ? { prepare } : {}),
});

const none = () => ({});
/** A panel meeting set for Wed 9 Dec 2026, for the buttons that cancel or move it. */
const aMeeting = async (w: World) => {
  await w.store.meetings.create({
    id: '2026-12-09',
    date: '2026-12-09',
    cutOff: '2026-12-02',
    status: 'scheduled',
    setBy: isaiah.aadObjectId,
    setAt: '2026-11-20T10:00:00.000Z',
  });
};
const onCase = (caseId: string) => ({ caseId });
const formId = randomUUID();
const spendId = randomUUID();
const AWAY_ID = randomUUID();

/** A checked PDF waiting for this person to choose its case, as if they had just sent it in their chat. */
const holdFile: Prepare = async (w, _caseId, who) => {
  const bytes = pdf('plan');
  const held = filesOf(w.deps).pending.hold({
    owner: who.aadObjectId,
    name: 'Support plan.pdf',
    bytes,
    ext: 'pdf',
    mime: 'application/pdf',
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  return { upload: held.token };
};

/** Megan's support plan kept with the case, through the real handlers; answers the document's id. */
const keepFile: Prepare = async (w, caseId) => {
  await w.press(megan, 'attachFile', { caseId, kind: 'support-plan', ...(await holdFile(w, caseId, megan)) });
  const [kept] = await w.store.files.find({ caseId });
  if (!kept) throw new Error('the document was not kept');
  return { fileId: kept.value.id };
};

/** The case closed because the child moved school: the co-ordinator may transfer it. */
const movedSchool: Prepare = async (w, caseId) => {
  await w.press(adele, 'close', { caseId, reason: 'moved-school', note: 'The family moved.' });
  return {};
};

const TRANSFER = {
  toSchoolId: 'brookside-primary',
  consentGivenBy: 'Jo Price (mother)',
  consentDate: '2026-11-26',
  consentMethod: 'meeting',
  tried: 'A calm corner.',
  worked: 'Counselling.',
  outcomes: 'Fewer incidents.',
  needs: 'Support at the move.',
};

/** The case, with its document, transferred to Brookside (Joni's school). */
const transferred: Prepare = async (w, caseId, who) => {
  const { fileId } = await keepFile(w, caseId, who);
  await movedSchool(w, caseId, who);
  await w.press(adele, 'transfer', { caseId, ...TRANSFER, fileIds: fileId });
  if (!(await w.store.transfers.get(caseId))) throw new Error('the case was not transferred');
  return {};
};

// The answers are the authorisation matrix's (test/app/authz-matrix.test.ts), one allowed and one refused person each.
const ROWS: Row[] = [
  r('help', 'none', megan, stranger, none, /You're signed in as/),
  r('myCases', 'submitted', megan, stranger, none, /My cases/),
  r('newRequest', 'none', megan, adele, () => ({ kind: 'individual' }), /Parental consent/),
  r('submitRequest', 'none', megan, adele, () => ({ ...CLASS_REQUEST, formId }), /Request submitted/),
  r('openCase', 'submitted', megan, joni, onCase, /EIP-2026-0001/),
  r('showForm', 'submitted', adele, megan, (caseId) => ({ caseId, form: 'accept' }), /observation/i),
  r('returnCase', 'submitted', adele, megan, (caseId) => ({ caseId, question: 'How often?' }), /Returned/),
  r('resubmit', 'returned', megan, joni, (caseId) => ({ caseId, answer: 'Twice a week.' }), /Resubmitted/),
  r('accept', 'submitted', adele, megan, (caseId) => ({ caseId, observationDate: '2026-11-27' }), /Accepted/),
  r(
    'assess',
    'accepted',
    adele,
    megan,
    (caseId) => ({ caseId, observedOn: '2026-11-27', findings: 'f', needsIdentified: 'n' }),
    /Assessment saved/,
  ),
  r('propose', 'assessed', adele, megan, (caseId) => ({ caseId, ...PROPOSAL }), /Sent to the panel's chat/),
  r('withdraw', 'submitted', megan, joni, onCase, /Request withdrawn/),
  // Patti heads the school that raised the case: a conflict of interest.
  r(
    'vote',
    'proposed',
    alex,
    patti,
    (caseId) => ({ caseId, round: 1, choice: 'approve', comment: 'Agreed.' }),
    /your vote to approve is recorded/,
    'panel',
  ),
  r('panelView', 'proposed', alex, joni, (caseId) => ({ caseId, round: 1 }), /EIP-2026-0001/, 'panel'),
  r('commission', 'approved', adele, megan, (caseId) => ({ caseId, ...COMMISSION }), /Commissioned/),
  r(
    'spend',
    'commissioned',
    adele,
    megan,
    (caseId) => ({
      caseId,
      spendId,
      packageId: `${caseId}:p1`,
      invoiceRef: 'OCS-1029',
      amount: '90',
      sessionsDelivered: '2',
      deliveredOn: '2026-11-27',
    }),
    /£90\.00 recorded/,
  ),
  r(
    'moveReviews',
    'commissioned',
    adele,
    megan,
    (caseId) => ({ caseId, interim: '2027-01-19', final: '2027-03-19' }),
    /Review dates saved/,
  ),
  r('recordOutcome', 'commissioned', adele, megan, (caseId) => ({ caseId, ...OUTCOME }), /Review saved/),
  r(
    'close',
    'commissioned',
    adele,
    megan,
    (caseId) => ({ caseId, reason: 'needs-met', note: 'Done.' }),
    /Case closed/,
  ),
  r(
    'reopen',
    'closed',
    adele,
    megan,
    (caseId) => ({ caseId, reason: 'The school asks again.' }),
    /Case reopened/,
  ),
  r('budget', 'none', adele, megan, none, /Budget 2026-27/),
  r('budgetForm', 'none', isaiah, adele, () => ({ year: '2027-28' }), /Set the allocation for 2027-28/),
  r(
    'saveBudget',
    'none',
    isaiah,
    adele,
    () => ({ year: '2027-28', allocation: '400000' }),
    /The 2027-28 allocation is now £400,000\.00/,
  ),
  r('providers', 'none', adele, megan, none, /Oakwood Counselling Service/),
  r('providerForm', 'none', isaiah, adele, none, /Add a provider/),
  r(
    'saveProvider',
    'none',
    isaiah,
    adele,
    () => ({
      name: 'Acme Wellbeing Ltd',
      services: 'mentoring,counselling',
      rate: '40',
      rateUnit: 'session',
      contact: 'hello@acme.example',
    }),
    /Acme Wellbeing Ltd added/,
  ),
  r(
    'setProviderActive',
    'none',
    isaiah,
    adele,
    () => ({ providerId: 'step-up-mentoring', active: 'false' }),
    /Step Up Mentoring deactivated/,
  ),
  r('agenda', 'none', adele, megan, none, /Providers' meeting agenda/),
  r('history', 'proposed', adele, megan, onCase, /History of EIP-2026-0001/),
  r('repostPanel', 'proposed', adele, megan, onCase, /already in the panel chat/),
  r('reportForm', 'none', megan, stranger, none, /Show report/),
  r('report', 'none', megan, stranger, () => ({ year: '2026-27' }), /Export CSV/),
  // Joni is Brookside's SENCo: the case is Oakfield's, so its documents are not hers (until it is transferred to her).
  r(
    'attachFile',
    'submitted',
    megan,
    joni,
    (caseId) => ({ caseId, kind: 'support-plan' }),
    /is kept with EIP-2026-0001 as SEN support plan/,
    undefined,
    holdFile,
  ),
  r('caseFiles', 'submitted', megan, joni, onCase, /Documents: EIP-2026-0001/, undefined, keepFile),
  r('openFile', 'submitted', adele, joni, onCase, /Open document/, undefined, keepFile),
  r('transferForm', 'commissioned', adele, megan, onCase, /Transfer EIP-2026-0001/, undefined, movedSchool),
  r(
    'transfer',
    'commissioned',
    adele,
    megan,
    (caseId) => ({ caseId, ...TRANSFER }),
    /EIP-2026-0001 transferred to Brookside Primary School/,
    undefined,
    movedSchool,
  ),
  r('openTransfer', 'commissioned', joni, megan, onCase, /What worked/, undefined, transferred),
  r('transitions', 'none', adele, megan, none, /Transitions this summer/),
  r(
    'withdrawTransferForm',
    'commissioned',
    adele,
    joni,
    onCase,
    /Withdraw the transfer of EIP-2026-0001/,
    undefined,
    transferred,
  ),
  r('withdrawTransfer', 'commissioned', adele, joni, onCase, /is withdrawn/, undefined, transferred),
  r('reportCsv', 'none', megan, stranger, () => ({ run: 'a-run-this-bot-never-made' }), /no longer open/),
  // Panel cycles and substitutes: the admin's meetings, and a panel member's absence (Miriam, a head not on the
  // panel, stands in for Alex).
  r('meetingForm', 'none', isaiah, adele, none, /Panel meetings/),
  r('saveMeeting', 'none', isaiah, adele, () => ({ date: '2026-12-16' }), /Panel meeting set for/),
  {
    ...r('cancelMeeting', 'none', isaiah, adele, () => ({ meetingId: '2026-12-09' }), /is cancelled/),
    given: aMeeting,
  },
  {
    ...r(
      'moveMeeting',
      'none',
      isaiah,
      adele,
      () => ({ meetingId: '2026-12-09', moveTo: '2026-12-10' }),
      /has moved to Thu 10 Dec 2026/,
    ),
    given: aMeeting,
  },
  r('awayForm', 'none', alex, megan, none, /I'm away/),
  r(
    'saveAway',
    'none',
    alex,
    megan,
    () => ({ substitute: miriam.aadObjectId, from: '2026-11-30', to: '2026-12-04' }),
    /Miriam Graham votes for you from/,
  ),
  // Lynne is on the panel but is not the member away: only Alex, or an admin, ends Alex's absence.
  {
    ...r(
      'endAway',
      'proposed',
      alex,
      lynne,
      () => ({ substitutionId: AWAY_ID }),
      /Ended\. The votes still open/,
    ),
    given: async (w) => {
      await w.store.substitutions.create({
        id: AWAY_ID,
        member: alex.aadObjectId,
        substitute: miriam.aadObjectId,
        from: '2026-11-27',
        to: '2026-12-04',
        setBy: alex.aadObjectId,
        setAt: '2026-11-26T09:00:00.000Z',
      });
    },
  },
];

/** The plain words every refusal is given in (src/domain/errors.ts). */
const PLAIN_REFUSAL =
  /Only |can't|cannot|can no longer|isn't open|not in the EIP directory|has moved on|For privacy|couldn't find/;

/** Where the world's chats were opened from, as Teams would say. */
const SERVICE_URL = 'https://smba.example/uk/';

/**
 * Ids made at random (a new record's, or the random part of a step's key in the outbox) named by order of first
 * appearance, so two runs compare.
 */
function sameIds(value: unknown): unknown {
  const names = new Map<string, string>();
  const json = JSON.stringify(value)
    // A document's expiring link, made at random for the one who opened it.
    .replace(/\/exports\/[\w-]+/g, '/exports/a-link')
    // Where a document's bytes are kept: under a random id and its type.
    .replace(/("location":"[^"/]+\/)[0-9a-f]{32}\./g, '$1an-id.')
    // A report's run, named at random so only the person it was made for can export it.
    .replace(
      /"run":"[\w-]+"/g,
      (run) => `"run":"${names.get(run) ?? names.set(run, `run-${names.size + 1}`).get(run)!}"`,
    )
    .replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?<=:)[0-9a-f]{8}(?=:)/gi,
      (id) => names.get(id) ?? names.set(id, `id-${names.size + 1}`).get(id)!,
    );
  return JSON.parse(json) as unknown;
}

type Path = 'execute' | 'submit';

/**
 * The records, with the remembered conversations by value alone: the bot saves how to reach the presser on every turn
 * (a write of the same value bumps its version), which is not what the press did.
 */
async function records(w: World) {
  const all = await snapshot(w.store);
  return { ...all, conversations: all.conversations.map((c) => (c as { value: unknown }).value) };
}

/**
 * A Teams activity less what the world's chats were opened without (the activity's id, the sender's display name, the
 * tenant on the conversation), so the bot's remembered way to reach the presser is the same before and after and
 * a comparison of the records shows only what the press itself did.
 */
function asInWorld(activity: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...rest } = activity;
  const from = { ...(activity.from as Record<string, unknown>) };
  delete from.name;
  const conversation = { ...(activity.conversation as Record<string, unknown>) };
  delete conversation.tenantId;
  return { ...rest, from, conversation };
}

/** Hands an activity to the real bot over this world's store; answers what the bot sent back. */
async function turn(w: World, activity: Record<string, unknown>): Promise<Partial<Activity>[]> {
  const bot = new EipBot(new Router(w.deps), w.deps.log);
  const sent: Partial<Activity>[] = [];
  const ctx = {
    activity: activity as unknown as Activity,
    sendActivity: async (a: Partial<Activity>) => {
      sent.push(a);
      return { id: `reply-${sent.length}` };
    },
  } as unknown as TurnContext;
  await bot.run(ctx);
  return sent;
}

/** The card a press answered with: the invoke's response on the Execute path, the reply message on the Submit path. */
function cardOf(path: Path, sent: Partial<Activity>[]): Card {
  assert.equal(sent.length, 1, `one answer on the ${path} path`);
  const [reply] = sent;
  if (path === 'execute') {
    assert.equal(reply!.type, 'invokeResponse');
    const response = reply!.value as { status: number; body: { type: string; value: Card } };
    assert.equal(response.status, 200);
    assert.equal(response.body.type, 'application/vnd.microsoft.card.adaptive');
    return response.body.value;
  }
  assert.equal(reply!.type, 'message');
  const [attachment] = reply!.attachments ?? [];
  assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
  return attachment.content as Card;
}

describe('every button, through Action.Execute and through its Action.Submit fallback', () => {
  const stages = new Stages();
  after(() => removeWorldFiles());

  /** Presses in a fresh bot with the case at the row's stage; answers the card, what changed and who was told. */
  async function press(row: Row, who: TestPerson, path: Path) {
    const { w, caseId } = await stages.world(row.at);
    try {
      const data = { ...row.data(caseId), ...(await row.prepare?.(w, caseId, who)) };
      const chat = row.chat ?? 'personal';
      const activity =
        path === 'execute'
          ? pressActivity(SERVICE_URL, who, row.verb, data, chat)
          : // What an older client sends for the fallback: a message whose value is its data and the inputs.
            { ...activityFrom(SERVICE_URL, who, chat), type: 'message', value: { ...data, verb: row.verb } };
      await row.given?.(w);
      const before = await records(w);
      const mark = w.connector.mark();
      const card = cardOf(path, await turn(w, asInWorld(activity)));
      return {
        card,
        before,
        after: await records(w),
        told: w.connector.deliveries.slice(mark).map((d) => ({ kind: d.kind, chat: d.chat, card: d.card })),
      };
    } finally {
      await w.close();
    }
  }

  it('covers every verb a button can carry', () => {
    assert.deepEqual(
      VERBS.filter((v) => !ROWS.some((row) => row.verb === v)),
      [],
    );
  });

  for (const row of ROWS) {
    describe(row.verb, () => {
      it(`gives ${row.by.name} the same card, records and messages on both paths`, async () => {
        const execute = await press(row, row.by, 'execute');
        const submit = await press(row, row.by, 'submit');
        assert.match(textOf(execute.card), row.shows);
        assert.deepEqual(sameIds(submit.card), sameIds(execute.card), 'the same card');
        assert.deepEqual(sameIds(submit.after), sameIds(execute.after), 'the same records');
        assert.deepEqual(sameIds(submit.told), sameIds(execute.told), 'the same people told the same');
        assertValidCard(execute.card, `${row.verb} answer`);
        for (const t of execute.told) assertValidCard(t.card, `${row.verb} message to ${t.chat}`);
      });

      it(`refuses ${row.refused.name} on both paths, writing nothing and telling nobody`, async () => {
        for (const path of ['execute', 'submit'] as const) {
          const refused = await press(row, row.refused, path);
          assert.ok(
            warningOf(refused.card) !== undefined,
            `${path}: a refusal; the card says ${textOf(refused.card)}`,
          );
          assert.match(textOf(refused.card), PLAIN_REFUSAL);
          assert.deepEqual(refused.after, refused.before, `${path}: nothing written`);
          assert.deepEqual(refused.told, [], `${path}: nobody told`);
          assertValidCard(refused.card, `${row.verb} refusal`);
        }
      });
    });
  }
});
