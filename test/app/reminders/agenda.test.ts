// The providers' meeting agenda on demand: what the co-ordinator sees, and that nobody else may see it.
import assert from 'node:assert/strict';
import { Router } from '../../../src/app/router';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { P, buttonsOf, startHarness, textOf, type Harness } from '../../support/harness';
import {
  PUPIL,
  RecordingNotifier,
  appDeps,
  caseRecord,
  packageRecord,
  proposalRecord,
  reviewRecord,
} from '../../support/records';

describe("the providers' meeting agenda", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ now: () => new Date('2027-01-11T10:00:00Z') });
    const s = h.bot.store;
    await s.cases.create(caseRecord({ id: 'c2', raisedAt: '2026-11-20T09:00:00.000Z', status: 'assessed' }));
    await s.cases.create(
      caseRecord({
        id: 'c1',
        raisedAt: '2026-11-03T09:00:00.000Z',
        request: {
          kind: 'class',
          className: '4B',
          yearGroup: 'Year 4',
          needs: ['communication'],
          tried: 't',
          asked: 'a',
        },
      }),
    );
    const proposed = caseRecord({
      id: 'c3',
      status: 'proposed',
      round: 1,
      raisedAt: '2026-11-10T09:00:00.000Z',
    });
    await s.cases.create(proposed);
    await s.proposals.create(
      proposalRecord(proposed, '2026-12-04', [
        {
          type: 'play-therapy',
          provider: `${PUPIL}'s aunt's play therapy`,
          sessions: 6,
          unitCostPence: 5000,
        },
      ]),
    );
    await s.cases.create(caseRecord({ id: 'c4', status: 'commissioned', round: 1 }));
    await s.packages.create(
      packageRecord('c4', 1, { name: 'Oakwood Counselling Service', id: 'oakwood-counselling' }, 45000),
    );
    await s.packages.create(
      packageRecord(
        'c4',
        2,
        { name: 'Speech Matters CIC', id: 'speech-matters' },
        70000,
        'speech-and-language',
      ),
    );
    await s.cases.create(caseRecord({ id: 'c5', status: 'commissioned', round: 1 }));
    await s.packages.create(
      packageRecord('c5', 1, { name: 'Oakwood Counselling Service', id: 'oakwood-counselling' }, 40000),
    );
    await s.reviews.create(reviewRecord('c4', 'interim', '2027-01-08'));
    await s.reviews.create(reviewRecord('c5', 'interim', '2027-02-01'));
    await s.cases.create(caseRecord({ id: 'c6', status: 'closed', round: 1 }));
    // The admin has stopped using the only mentoring provider.
    const mentoring = (await s.providers.get('step-up-mentoring'))!;
    await s.providers.replace({ ...mentoring.value, active: false }, mentoring.eTag);
  });
  after(async () => h.stop());

  it('shows the co-ordinator the waiting list, packages, overdue reviews, uncovered needs and who cannot be reached', async () => {
    // Local mode reaches everyone through the one chat that spoke, but a reminder to Alex could not be delivered.
    await h.bot.store.reminders.create({
      id: `vote-pending:c3:r1:${P.alex.aadObjectId}`,
      kind: 'vote-pending',
      caseId: 'c3',
      to: P.alex.aadObjectId,
      due: '2026-12-02',
      status: 'unreachable',
      claimedAt: '2026-12-02T12:00:00.000Z',
    });

    const card = await h.press(P.adele, 'agenda');
    assert.equal(
      textOf(card),
      [
        "Providers' meeting agenda",
        'As at Mon 11 Jan 2027. Pupils are not named: cases are shown by reference.',
        'Waiting list (3)',
        'EIP-2026-0001: Whole class 4B, Year 4. Submitted, raised Tue 3 Nov 2026',
        'EIP-2026-0003: Individual pupil, Year 4. With the panel, raised Tue 10 Nov 2026',
        'EIP-2026-0002: Individual pupil, Year 4. Assessed, raised Fri 20 Nov 2026',
        'Active packages by provider',
        'Oakwood Counselling Service: 2 packages, £850.00 agreed',
        'Speech Matters CIC: 1 package, £700.00 agreed',
        'Overdue reviews (1)',
        'EIP-2026-0004: Interim review due Fri 8 Jan 2027. Individual pupil, Year 4',
        'Needs no provider covers',
        'Mentoring: no active provider in the directory offers this',
        "EIP-2026-0003: Play therapy from [pupil]'s aunt's play therapy, a provider not in the directory",
        'People EIP bot could not reach',
        'Alex Wilber (head teacher, panel member, Brookside Primary School): 1 reminder not delivered since the last agenda',
        'Refresh',
        'My cases',
      ].join('\n'),
    );
    assert.equal(JSON.stringify(card).includes('Sam'), false, 'no pupil name anywhere on the card');
    assert.deepEqual(
      buttonsOf(card).map((b) => b.verb),
      ['agenda', 'myCases'],
    );
  });

  it('lists everyone who needs reminders but has never opened a chat with the bot', async () => {
    // Outside local mode nobody stands in for anyone: only Adele has spoken to the bot.
    const store = new SqliteStore(':memory:');
    const router = new Router(appDeps(store, new RecordingNotifier(), new Date('2027-01-11T10:00:00Z')));
    await store.cases.create(caseRecord({ id: 'c1' }));
    const card = await router.action({
      aadObjectId: P.adele.aadObjectId,
      teamsUserId: '29:adele',
      conversationType: 'personal',
      reference: { conversation: { id: 'adele' } },
      verb: 'agenda',
      data: {},
    });
    const text = textOf(card);
    const unreachable = text.slice(text.indexOf('People EIP bot could not reach')).split('\n').slice(1, -2);
    assert.deepEqual(unreachable, [
      'Alex Wilber (head teacher, panel member, Brookside Primary School): has not opened a chat with EIP bot, so gets no reminders',
      'Patti Fernandez (head teacher, panel member, Oakfield Primary School): has not opened a chat with EIP bot, so gets no reminders',
      'Lynne Robbins (head teacher, panel member, Hillcrest Academy): has not opened a chat with EIP bot, so gets no reminders',
      'Megan Bowen (SENCo, Oakfield Primary School): has not opened a chat with EIP bot, so gets no reminders',
    ]);
    await store.close();
  });

  it('refuses anyone but the co-ordinator', async () => {
    const card = await h.press(P.megan, 'agenda');
    assert.match(textOf(card), /The providers' meeting agenda is for the EIP co-ordinator/);
    const admin = await h.press(P.isaiah, 'agenda');
    assert.match(textOf(admin), /for the EIP co-ordinator/);
  });
});
