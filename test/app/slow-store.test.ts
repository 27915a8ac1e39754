// A slow store: Teams gives a pressed button about ten seconds. When the store takes longer (here every write waits at
// a gate the test holds shut, standing for a 20-second delay), the person is answered "still working" by the
// deadline, the change is still saved once the store answers, a retry of the same press does not save it twice, and
// the card the action made is then sent to the person's chat.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Router } from '../../src/app/router';
import { createLogger, withCorrelation } from '../../src/logger';
import type { ActionRequest } from '../../src/app/ports';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { P, textOf, type TestPerson } from '../support/harness';
import {
  RecordingNotifier,
  appDeps,
  caseRecord,
  chatOf,
  proposalRecord,
  reachable,
} from '../support/records';
import { gatedStore, type Gate } from '../support/slow-store';

const press = (p: TestPerson, verb: string, data: Record<string, unknown>): ActionRequest => ({
  aadObjectId: p.aadObjectId,
  teamsUserId: `29:${p.aadObjectId}`,
  conversationType: 'personal',
  reference: { conversation: { id: chatOf(p.aadObjectId) } },
  verb,
  data,
});

const request = (pupilName: string) => ({
  kind: 'individual',
  formId: randomUUID(),
  pupilName,
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'A calm corner.',
  asked: 'Counselling.',
  consentGivenBy: 'Jo Price (mother)',
  consentDate: '2026-10-20',
  consentMethod: 'in-writing',
});

describe('a slow store', () => {
  let inner: SqliteStore;
  let gate: Gate;
  let notifier: RecordingNotifier;
  let router: Router;
  const now = new Date('2026-11-02T12:00:00Z');

  let logs: Record<string, unknown>[];

  /** A router over the gated store, answering presses by this deadline. */
  async function setUp(invokeDeadlineMs: number) {
    inner = new SqliteStore(':memory:');
    const gated = gatedStore(inner);
    gate = gated.gate;
    notifier = new RecordingNotifier();
    for (const p of [P.megan, P.adele]) await reachable(inner, p.aadObjectId, now.toISOString());
    logs = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    });
    const deps = { ...appDeps(gated.store, notifier, now), log: createLogger(sink, 'debug') };
    router = new Router(deps, { invokeDeadlineMs });
  }
  afterEach(async () => {
    gate.open();
    await router.settled();
    await inner.close();
  });

  it('answers "still working" by the deadline, saves the request once, and sends its card when done', async () => {
    // The deadline is short, but nothing here depends on how long anything takes: writes wait until the gate opens.
    await setUp(20);
    gate.close();
    const data = request('Sam Okonkwo-Price');
    // Each press is one activity, handled under its own correlation id (as the bot's edge sets it).
    const first = await withCorrelation(
      () => router.invoke(press(P.megan, 'submitRequest', data)),
      'press-1',
    );
    assert.equal(
      textOf(first),
      "Still working on it\nEIP bot will message you here when it's done. No need to press again.",
    );
    assert.equal(textOf(first).includes('Sam'), false);

    // Teams presses again (the client's retry): the same card, and the request is not submitted a second time.
    const retry = await withCorrelation(
      () => router.invoke(press(P.megan, 'submitRequest', { ...data })),
      'press-2',
    );
    assert.match(textOf(retry), /^Still working on it\n/);
    // Another request (different data) is its own action.
    const other = request('Kim Lee');
    assert.match(textOf(await router.invoke(press(P.megan, 'submitRequest', other))), /^Still working on it/);
    assert.deepEqual(await inner.cases.find(), [], 'nothing is saved while the store is held');
    assert.deepEqual(notifier.sent, [], 'nobody is told anything before it is saved');

    // The store answers: both requests are saved, each once, with no reference number spent on the retry.
    gate.open();
    await router.settled();
    const cases = (await inner.cases.find()).map((c) => `${c.value.ref} ${c.value.request.pupilName}`);
    assert.deepEqual(cases.sort(), ['EIP-2026-0001 Sam Okonkwo-Price', 'EIP-2026-0002 Kim Lee']);
    assert.equal((await inner.audit.list()).filter((a) => a.action === 'submit').length, 2);

    // Megan gets each request's own card in her chat; the co-ordinator is told of each request once.
    const toMegan = notifier.to(P.megan.aadObjectId).map(textOf);
    assert.equal(toMegan.length, 2);
    assert.match(
      toMegan.find((t) => t.includes('Sam'))!,
      /Request submitted\. Your reference is EIP-2026-0001\./,
    );
    assert.match(
      toMegan.find((t) => t.includes('Kim'))!,
      /Request submitted\. Your reference is EIP-2026-0002\./,
    );
    assert.deepEqual(
      notifier.to(P.adele.aadObjectId).map((c) => /New request (EIP-\d+-\d+)/.exec(textOf(c))?.[1]),
      ['EIP-2026-0001', 'EIP-2026-0002'],
    );

    // What the first press did after its answer is logged under its own id; the retry logged that it joined it.
    const under = (id: string) =>
      logs
        .filter((l) => l.correlationId === id)
        .map((l) => String(l.msg))
        .sort();
    assert.deepEqual(under('press-1'), [
      'action outlasted the deadline',
      'card action',
      'late action finished: its card sent to the person',
      'request submitted',
    ]);
    assert.deepEqual(under('press-2'), ['same press again: not run twice']);

    // A retry arriving just after it finished is answered with the finished card, not run again.
    const late = await router.invoke(press(P.megan, 'submitRequest', { ...data }));
    assert.match(textOf(late), /Request submitted\. Your reference is EIP-2026-0001\./);
    await router.settled();
    assert.equal((await inner.cases.find()).length, 2);
    assert.equal(notifier.to(P.megan.aadObjectId).length, 2, 'the card is not sent again');
  });

  it('answers with the card itself when the store answers before the deadline, and sends nothing more', async () => {
    // A deadline nothing here comes near: the gate opens while the press waits.
    await setUp(60_000);
    gate.close();
    const answer = router.invoke(press(P.megan, 'submitRequest', request('Sam Okonkwo-Price')));
    gate.open();
    assert.match(textOf(await answer), /Request submitted\. Your reference is EIP-2026-0001\./);
    await router.settled();
    assert.deepEqual(notifier.to(P.megan.aadObjectId), [], 'no second copy in the chat');
    assert.equal((await inner.cases.find()).length, 1);
  });

  it('in the panel chat, answers "still working" and sends the voter their card in their own chat', async () => {
    await setUp(20);
    const c = caseRecord({ id: 'c1', status: 'proposed', round: 1 });
    await inner.cases.create(c);
    await inner.proposals.create(proposalRecord(c, '2026-11-09'));
    await reachable(inner, P.alex.aadObjectId, now.toISOString());
    gate.close();
    const vote = {
      ...press(P.alex, 'vote', { caseId: 'c1', round: 1, choice: 'approve' }),
      conversationType: 'groupChat' as const,
      reference: { conversation: { id: 'panel-group-chat' } },
    };
    assert.equal(
      textOf(await router.invoke(vote)),
      "Still working on it\nEIP bot will message you in your chat with it when it's done. No need to press again.",
    );
    assert.match(textOf(await router.invoke(vote)), /^Still working on it/);
    gate.open();
    await router.settled();
    assert.deepEqual(
      (await inner.votes.find()).map((v) => `${v.value.voter} ${v.value.choice}`),
      [`${P.alex.aadObjectId} approve`],
    );
    const [card, ...more] = notifier.to(P.alex.aadObjectId);
    assert.match(textOf(card), /your vote to approve is recorded/);
    assert.deepEqual(more, []);
  });
});
