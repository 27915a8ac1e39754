// Replays: Teams retries an invoke it got no answer to, people double-click, and a slow network delivers the same
// press twice. The same invoke, replayed a thousand times (one after another, and fifty at once), including a client
// retry while its first attempt is still stuck in the store, makes one record, one audit entry, and one set of
// notices; every press is answered with a card that says what happened, never "something went wrong".
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Card } from '../../src/cards';
import type { AuditEntry } from '../../src/domain';
import { textOf, type TestPerson } from '../support/harness';
import {
  COMMISSION,
  INDIVIDUAL_REQUEST,
  OUTCOME,
  PEOPLE,
  PROPOSAL,
  PROPOSAL_PENCE,
  Stages,
  drawEachCardOnce,
  holdingStore,
  removeWorldFiles,
  type Chat,
  type HeldWrite,
  type Stage,
  type World,
} from '../support/world';

const TIMES = 1_000;
const AT_ONCE = 50;

/**
 * Who was told what since the mark: the cards the stand-in connector posted or updated, by chat. (Notices go through
 * the outbox, which sends what an action owes before the action answers.)
 */
function told(w: World, since: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of w.connector.deliveries.slice(since)) {
    const key = `${d.kind} ${d.chat}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const to = (p: TestPerson) => `send personal-${p.aadObjectId}`;

/** The id of the one card posted to the panel chat, which votes then update. */
const panelPost = (w: World) => {
  const posts = w.connector.deliveries.filter((d) => d.kind === 'send' && d.chat === 'panel-group-chat');
  assert.equal(posts.length, 1, 'one card posted to the panel chat');
  return posts[0]!.messageId;
};
const PANEL_POST = 'send panel-group-chat';
const PANEL_UPDATE = 'update panel-group-chat';

/** Audit entries of this action that record it being done (a refusal may be audited too, as refused). */
const done = async (w: World, action: string): Promise<AuditEntry[]> =>
  (await w.store.audit.list()).filter((a) => a.action === action && a.outcome !== 'refused');

describe('replays', function () {
  this.timeout(60_000);
  const stages = new Stages();
  let drawAgain: () => void;
  before(() => {
    drawAgain = drawEachCardOnce();
  });
  after(() => {
    drawAgain();
    removeWorldFiles();
  });

  interface Replay {
    /** Where Megan's case stands first. */
    at: Stage | 'none';
    who: TestPerson;
    verb: string;
    data: (caseId: string) => Record<string, unknown>;
    chat?: Chat;
    /** What happens before the first press (another member's vote, say). */
    before?: (w: World, caseId: string) => Promise<void>;
    /** Where the first attempt is held: at its first write (the default), or at saving the case, its last. */
    holdAt?: 'first write' | 'case save';
  }

  /**
   * One button's invoke, delivered 1,000 times. The first attempt is held in the store, as on a slow day; meanwhile
   * the client times out and retries, and double clicks arrive: fifty at once, racing each other on the case as it
   * was. Then the first attempt goes on. Then the rest, one after another and in batches of fifty at once. Answers
   * every card that came back, and the world to count in.
   */
  async function replay(r: Replay): Promise<{ w: World; caseId: string; cards: Card[]; mark: number }> {
    let gated: ReturnType<typeof holdingStore> | undefined;
    const { w, caseId } = await stages.world(r.at, { store: (s) => (gated = holdingStore(s)) });
    await r.before?.(w, caseId);
    const mark = w.connector.mark();
    const invoke = r.data(caseId);
    const press = () => w.press(r.who, r.verb, invoke, r.chat);
    const cards: Card[] = [];
    const batch = async () => cards.push(...(await Promise.all(Array.from({ length: AT_ONCE }, press))));

    const held: HeldWrite = gated!.holdNextWrite(r.holdAt === 'case save' ? 'cases' : undefined);
    const first = press();
    await held.caught;
    await batch();
    held.release();
    cards.push(await first);
    const inSequence = TIMES - cards.length - 10 * AT_ONCE;
    for (let i = 0; i < inSequence; i += 1) cards.push(await press());
    for (let i = 0; i < 10; i += 1) await batch();
    assert.equal(cards.length, TIMES);
    return { w, caseId, cards, mark };
  }

  /** Every answer is one of the cards a person should see for this button; none is an error. */
  function assertAnswers(w: World, cards: Card[], expected: RegExp) {
    const odd = new Map<string, number>();
    for (const text of cards.map(textOf).filter((t) => !expected.test(t))) {
      const key = text.slice(0, 200).replace(/quote \w+/, 'quote …');
      odd.set(key, (odd.get(key) ?? 0) + 1);
    }
    const errors = w.logs.flatMap(
      (l) => (JSON.parse(l) as { err?: { message?: string } }).err?.message ?? [],
    );
    assert.deepEqual(
      Object.fromEntries(odd),
      {},
      `unexpected answers; errors logged: ${[...new Set(errors)].join('; ')}`,
    );
  }

  it('submitRequest: one case, one consent, the co-ordinator told once', async () => {
    const formId = randomUUID();
    const { w, cards, mark } = await replay({
      at: 'none',
      who: PEOPLE.megan,
      verb: 'submitRequest',
      data: () => ({ ...INDIVIDUAL_REQUEST, formId }),
    });
    try {
      const cases = await w.store.cases.find();
      assert.deepEqual(
        cases.map((c) => c.value.id),
        [formId],
      );
      assert.equal((await w.store.consents.find()).length, 1);
      assert.equal((await done(w, 'submit')).length, 1);
      assert.deepEqual(told(w, mark), { [to(PEOPLE.adele)]: 1 });
      const ref = cases[0]!.value.ref;
      assertAnswers(
        w,
        cards,
        new RegExp(
          `Request submitted\\. Your reference is ${ref}|already submitted as ${ref}|being submitted already`,
        ),
      );
    } finally {
      await w.close();
    }
  });

  it('vote: one vote, one decision, the money held once, the school and co-ordinator told once', async () => {
    const { w, caseId, cards, mark } = await replay({
      at: 'proposed',
      who: PEOPLE.lynne,
      verb: 'vote',
      data: (id) => ({ caseId: id, round: 1, choice: 'approve', comment: 'Good plan.' }),
      chat: 'panel',
      before: async (world, id) => {
        await world.press(PEOPLE.alex, 'vote', { caseId: id, round: 1, choice: 'approve' }, 'panel');
      },
    });
    try {
      const votes = (await w.store.votes.find({ caseId })).map((v) => v.value.voter);
      assert.deepEqual(votes.sort(), [PEOPLE.alex.aadObjectId, PEOPLE.lynne.aadObjectId].sort());
      assert.equal((await w.store.decisions.find({ caseId })).length, 1);
      assert.equal((await w.store.cases.get(caseId))?.value.status, 'approved');
      assert.deepEqual((await w.store.budgets.get('2026-27'))?.value.commitments, {
        [caseId]: PROPOSAL_PENCE,
      });
      assert.equal((await done(w, 'vote')).length, 2, 'Alex’s vote and Lynne’s');
      assert.equal((await done(w, 'decide')).length, 1);
      assert.deepEqual(told(w, mark), {
        [to(PEOPLE.megan)]: 1,
        [to(PEOPLE.adele)]: 1,
        // The panel's card shows the deciding vote, then the decision: the same card, updated.
        [PANEL_UPDATE]: 2,
      });
      assertAnswers(w, cards, /Decided: Approved|already voted/);
      assert.ok(cards.some((c) => /Thank you: your vote to approve is recorded/.test(textOf(c))));
      assert.ok(cards.some((c) => /already voted/.test(textOf(c))));
    } finally {
      await w.close();
    }
  });

  it('propose: one proposal, one round, one post in the panel chat, the school told once', async () => {
    const { w, caseId, cards, mark } = await replay({
      at: 'assessed',
      who: PEOPLE.adele,
      verb: 'propose',
      data: (id) => ({ caseId: id, ...PROPOSAL }),
    });
    try {
      const c = (await w.store.cases.get(caseId))!.value;
      assert.equal(c.status, 'proposed');
      assert.equal(c.round, 1);
      const proposals = await w.store.proposals.find({ caseId });
      assert.deepEqual(
        proposals.map((p) => [p.value.id, p.value.panelMessageId]),
        [[`${caseId}:r1`, panelPost(w)]],
      );
      assert.equal((await done(w, 'propose')).length, 1);
      assert.deepEqual(told(w, mark), { [PANEL_POST]: 1, [to(PEOPLE.megan)]: 1 });
      assertAnswers(
        w,
        cards,
        /Sent to the panel's chat|has moved on: it is now with the panel|changed by someone else/,
      );
    } finally {
      await w.close();
    }
  });

  it('commission: one set of packages and reviews, the money held once, the school told once', async () => {
    // Agreed at £600, more than the £540 the panel approved (with a reason), so commissioning changes the hold.
    const { w, caseId, cards, mark } = await replay({
      at: 'approved',
      who: PEOPLE.adele,
      verb: 'commission',
      data: (id) => ({ caseId: id, ...COMMISSION, cost1: '600', overReason: 'The provider’s new rate.' }),
      holdAt: 'case save',
    });
    try {
      assert.equal((await w.store.cases.get(caseId))?.value.status, 'commissioned');
      assert.deepEqual(
        (await w.store.packages.find({ caseId })).map((p) => [p.value.id, p.value.agreedPence]),
        [[`${caseId}:p1`, 60_000]],
      );
      assert.deepEqual((await w.store.reviews.find({ caseId })).map((r) => r.value.kind).sort(), [
        'final',
        'interim',
      ]);
      assert.deepEqual((await w.store.budgets.get('2026-27'))?.value.commitments, { [caseId]: 60_000 });
      assert.equal((await done(w, 'commission')).length, 1);
      assert.deepEqual(told(w, mark), { [to(PEOPLE.megan)]: 1 });
      assertAnswers(
        w,
        cards,
        /Commissioned: £600\.00|has moved on: it is now commissioned|changed by someone else/,
      );
    } finally {
      await w.close();
    }
  });

  it('spend: one spend record, counted once in the budget and the ledger', async () => {
    const spendId = randomUUID();
    const { w, caseId, cards, mark } = await replay({
      at: 'commissioned',
      who: PEOPLE.adele,
      verb: 'spend',
      data: (id) => ({
        caseId: id,
        spendId,
        packageId: `${id}:p1`,
        invoiceRef: 'OCS-1029',
        amount: '600',
        sessionsDelivered: '12',
        deliveredOn: '2026-11-27',
        overReason: 'Two extra sessions agreed by phone.',
      }),
    });
    try {
      assert.deepEqual(
        (await w.store.spends.find({ caseId })).map((s) => [s.value.id, s.value.amountPence]),
        [[spendId, 60_000]],
      );
      // Spend past the agreed £540 is committed too: the case holds £600, once.
      assert.deepEqual((await w.store.budgets.get('2026-27'))?.value.commitments, { [caseId]: 60_000 });
      assert.equal((await done(w, 'spend')).length, 1);
      assert.deepEqual(told(w, mark), {});
      const ledger = await w.press(PEOPLE.adele, 'budget', {});
      assert.match(textOf(ledger), /Committed\n£600\.00\nSpent\n£600\.00/);
      assertAnswers(w, cards, /£600\.00 recorded|recorded already|changed by someone else/);
    } finally {
      await w.close();
    }
  });

  it('recordOutcome: the review recorded once, the school sent one copy', async () => {
    const { w, caseId, cards, mark } = await replay({
      at: 'commissioned',
      who: PEOPLE.adele,
      verb: 'recordOutcome',
      data: (id) => ({ caseId: id, ...OUTCOME }),
    });
    try {
      const interim = (await w.store.reviews.get(`${caseId}:interim`))!.value;
      assert.equal(interim.status, 'done');
      assert.equal(interim.outcome?.notes, OUTCOME.notes);
      assert.equal((await w.store.reviews.get(`${caseId}:final`))?.value.status, 'open');
      assert.equal((await done(w, 'outcome')).length, 1);
      assert.deepEqual(told(w, mark), { [to(PEOPLE.megan)]: 1 });
      assertAnswers(w, cards, /Review saved|recorded already|changed by someone else/);
    } finally {
      await w.close();
    }
  });

  it('close: closed once, what was not spent given back to the year once, the school told once', async () => {
    const { w, caseId, cards, mark } = await replay({
      at: 'commissioned',
      who: PEOPLE.adele,
      verb: 'close',
      data: (id) => ({ caseId: id, reason: 'needs-met', note: 'Outcomes met.' }),
      before: async (world, id) => {
        await world.press(PEOPLE.adele, 'spend', {
          caseId: id,
          spendId: randomUUID(),
          packageId: `${id}:p1`,
          invoiceRef: 'OCS-1',
          amount: '90',
          sessionsDelivered: '2',
          deliveredOn: '2026-11-27',
        });
      },
      holdAt: 'case save',
    });
    try {
      assert.equal((await w.store.cases.get(caseId))?.value.status, 'closed');
      assert.deepEqual((await w.store.budgets.get('2026-27'))?.value.commitments, { [caseId]: 9_000 });
      assert.equal((await done(w, 'close')).length, 1);
      assert.deepEqual(told(w, mark), { [to(PEOPLE.megan)]: 1 });
      assertAnswers(
        w,
        cards,
        /Case closed: needs met|has moved on: it is now closed|changed by someone else/,
      );
    } finally {
      await w.close();
    }
  });

  it('withdraw: an approved request withdrawn once, its money released once, the co-ordinator told once', async () => {
    const { w, caseId, cards, mark } = await replay({
      at: 'approved',
      who: PEOPLE.megan,
      verb: 'withdraw',
      data: (id) => ({ caseId: id }),
      holdAt: 'case save',
    });
    try {
      const c = (await w.store.cases.get(caseId))!.value;
      assert.deepEqual([c.status, c.closureReason], ['closed', 'withdrawn']);
      assert.deepEqual((await w.store.budgets.get('2026-27'))?.value.commitments, {});
      assert.equal((await done(w, 'withdraw')).length, 1);
      assert.deepEqual(told(w, mark), { [to(PEOPLE.adele)]: 1 });
      assertAnswers(w, cards, /Request withdrawn|has moved on: it is now closed|changed by someone else/);
    } finally {
      await w.close();
    }
  });

  describe('an attempt that loses its race to save the case', () => {
    /** A fresh bot at this stage whose store can hold a write. */
    async function holding(stage: Stage) {
      let gated: ReturnType<typeof holdingStore> | undefined;
      const { w, caseId } = await stages.world(stage, { store: (s) => (gated = holdingStore(s)) });
      return { w, caseId, store: gated! };
    }

    it('puts back the review it recorded, when spend saved the case first', async () => {
      const { w, caseId, store } = await holding('commissioned');
      try {
        const mark = w.connector.mark();
        const held = store.holdNextWrite('cases');
        const outcome = w.press(PEOPLE.adele, 'recordOutcome', { caseId, ...OUTCOME });
        await held.caught; // the review is written; saving the case waits
        const spent = await w.press(PEOPLE.adele, 'spend', {
          caseId,
          spendId: randomUUID(),
          packageId: `${caseId}:p1`,
          invoiceRef: 'OCS-1',
          amount: '45',
          sessionsDelivered: '1',
          deliveredOn: '2026-11-27',
        });
        assert.match(textOf(spent), /£45\.00 recorded/);
        held.release();
        assert.match(textOf(await outcome), /changed by someone else a moment ago/);
        const interim = (await w.store.reviews.get(`${caseId}:interim`))?.value;
        assert.equal(interim?.status, 'open', 'the review is as it was, ready to be recorded again');
        assert.equal(interim?.outcome, undefined);
        assert.equal((await done(w, 'outcome')).length, 0);
        assert.deepEqual(told(w, mark), {}, 'the school is not sent an outcome that was not saved');
      } finally {
        await w.close();
      }
    });

    it('gives the case back the money it held, when closing lost to a spend', async () => {
      const { w, caseId, store } = await holding('commissioned');
      try {
        const held = store.holdNextWrite('cases');
        const closing = w.press(PEOPLE.adele, 'close', { caseId, reason: 'needs-met', note: 'Done.' });
        await held.caught; // the unspent money is given back; saving the case waits
        assert.deepEqual((await w.store.budgets.get('2026-27'))?.value.commitments, { [caseId]: 0 });
        await w.press(PEOPLE.adele, 'spend', {
          caseId,
          spendId: randomUUID(),
          packageId: `${caseId}:p1`,
          invoiceRef: 'OCS-1',
          amount: '45',
          sessionsDelivered: '1',
          deliveredOn: '2026-11-27',
        });
        held.release();
        assert.match(textOf(await closing), /changed by someone else a moment ago/);
        assert.equal((await w.store.cases.get(caseId))?.value.status, 'commissioned');
        assert.deepEqual((await w.store.budgets.get('2026-27'))?.value.commitments, {
          [caseId]: PROPOSAL_PENCE,
        });
      } finally {
        await w.close();
      }
    });

    it('keeps the proposal of the attempt that won, when the one that lost wrote it last', async () => {
      const { w, caseId, store } = await holding('assessed');
      try {
        const mark = w.connector.mark();
        const press = () => w.press(PEOPLE.adele, 'propose', { caseId, ...PROPOSAL });
        const heldFirst = store.holdNextWrite('cases');
        const first = press();
        await heldFirst.caught; // the proposal is written; saving the case waits
        const heldSecond = store.holdNextWrite('cases');
        const second = press();
        await heldSecond.caught; // the double click wrote the proposal again; saving the case waits
        heldFirst.release();
        heldSecond.release();
        assert.match(textOf(await first), /Sent to the panel's chat/);
        assert.match(textOf(await second), /changed by someone else a moment ago/);
        const c = (await w.store.cases.get(caseId))!.value;
        assert.deepEqual([c.status, c.round], ['proposed', 1]);
        const proposal = (await w.store.proposals.get(`${caseId}:r1`))?.value;
        assert.equal(proposal?.totalPence, PROPOSAL_PENCE);
        assert.equal(proposal?.panelMessageId, panelPost(w));
        assert.deepEqual(told(w, mark), { [PANEL_POST]: 1, [to(PEOPLE.megan)]: 1 });
      } finally {
        await w.close();
      }
    });
  });
});
