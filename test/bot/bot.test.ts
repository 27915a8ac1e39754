// The bot through its real edge: Teams-shaped activities in, cards and stored records out.
import assert from 'node:assert/strict';
import {
  P,
  acceptAndAssess,
  raiseRequest,
  PANEL_CHAT,
  TENANT,
  button,
  buttonsOf,
  personalChat,
  startHarness,
  textOf,
  type Harness,
} from '../support/harness';

const NOW = new Date('2026-11-27T10:00:00Z');

const classRequest = {
  kind: 'class',
  className: '4B',
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'Zones of regulation and a visual timetable.',
  asked: 'Whole-class support and staff training.',
};

const individual = {
  kind: 'individual',
  pupilName: 'Rosa Lind',
  yearGroup: 'Year 2',
  needs: 'cognition',
  tried: 'Small-group phonics.',
  asked: 'Specialist teaching.',
  consentGivenBy: 'Ali Lind (father)',
  consentDate: '2026-11-25',
  consentMethod: 'meeting',
};

const raise = (h: Harness, data: Record<string, unknown> = classRequest) => raiseRequest(h, data);

describe('the bot', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: () => NOW });
    for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne]) await h.say(p, 'hello');
  });
  afterEach(async () => h.stop());

  describe('help and identity', () => {
    it('answers help with a menu for the sender’s roles', async () => {
      const [senco] = await h.say(P.megan, 'help');
      assert.deepEqual(
        buttonsOf(senco).map((b) => b.title),
        ['Raise a request for a pupil', 'Raise a request for a whole class', 'My cases', 'Report'],
      );
      const [coordinator] = await h.say(P.adele, 'help');
      assert.deepEqual(
        buttonsOf(coordinator).map((b) => b.title),
        // Transitions: the list of children in the last year of their phase, at any time of year.
        ['My cases', 'Budget', 'Providers', "Providers' meeting agenda", 'Transitions', 'Report'],
      );
      const [admin] = await h.say(P.isaiah, 'help');
      assert.deepEqual(
        buttonsOf(admin).map((b) => b.title),
        ['My cases', 'Budget', 'Providers', 'Report', 'Meetings'],
      );
      const [member] = await h.say(P.lynne, 'help');
      assert.deepEqual(
        buttonsOf(member).map((b) => [b.title, b.verb]),
        [
          ['Raise a request for a pupil', 'newRequest'],
          ['Raise a request for a whole class', 'newRequest'],
          ['My cases', 'myCases'],
          ['Report', 'reportForm'],
          ["I'm away", 'awayForm'],
        ],
      );
      await h.say(P.adele, 'panel here', 'panel');
      const [later] = await h.say(P.adele, 'help');
      assert.doesNotMatch(textOf(later), /panel here/, 'no hint once the panel chat is registered');
      assert.match(textOf(coordinator), /panel here/);
    });

    it('tells someone outside the directory to ask the LA, and stores nothing for them', async () => {
      const [card] = await h.say(P.stranger, 'help');
      assert.match(textOf(card), /not in the EIP directory/);
      const refused = await h.press(P.stranger, 'submitRequest', classRequest);
      assert.match(textOf(refused), /not in the EIP directory/);
      assert.equal((await h.bot.store.cases.find()).length, 0);
    });

    it('answers an unknown command with a pointer to help', async () => {
      const [card] = await h.say(P.megan, 'what is this');
      assert.match(textOf(card), /didn't understand/);
      assert.ok(button(card, 'Help'));
    });

    it('lets one person act as another in local mode, and back', async () => {
      const [asAdele] = await h.say(P.megan, 'act as Adele Vance');
      assert.match(textOf(asAdele), /acting as Adele Vance/);
      assert.match(textOf(asAdele), /EIP co-ordinator/);
      const [unknown] = await h.say(P.megan, 'act as Nobody Here');
      assert.match(textOf(unknown), /nobody called "Nobody Here"/);
      const trail = await h.bot.store.audit.list();
      assert.ok(trail.some((a) => a.action === 'act-as' && a.detail.includes(P.adele.aadObjectId)));
      const [back] = await h.say(P.megan, 'act as me');
      assert.match(textOf(back), /Hello Megan Bowen/);
      assert.doesNotMatch(textOf(back), /acting as/);
    });

    it('uses the stored identity, not card data, for who raised a request and for which school', async () => {
      const caseId = await raise(h, {
        ...classRequest,
        schoolId: 'hillcrest-academy',
        raisedBy: P.adele.aadObjectId,
      });
      const stored = await h.bot.store.cases.get(caseId);
      assert.equal(stored?.value.schoolId, 'oakfield-primary');
      assert.equal(stored?.value.raisedBy, P.megan.aadObjectId);
    });
  });

  describe('requests', () => {
    it('refuses an individual request without consent, shows the form again with the answers, and stores nothing', async () => {
      const { consentGivenBy: _a, consentDate: _b, consentMethod: _c, ...noConsent } = individual;
      const card = await h.press(P.megan, 'submitRequest', noConsent);
      const text = textOf(card);
      assert.match(text, /Some answers need another look/);
      assert.match(text, /Consent given by/);
      assert.match(text, /Without consent the request cannot be submitted/);
      assert.match(JSON.stringify(card), /"value":"Rosa Lind"/, 'what they typed is kept');
      assert.equal((await h.bot.store.cases.find()).length, 0);
      assert.equal((await h.bot.store.consents.find()).length, 0);
    });

    it('refuses text over its limit and a consent date in the future', async () => {
      const card = await h.press(P.megan, 'submitRequest', {
        ...individual,
        tried: 'x'.repeat(2001),
        consentDate: '2026-12-25',
      });
      assert.match(textOf(card), /What the school has tried already: Keep it to 2000 characters or fewer/);
      assert.match(textOf(card), /Date consent given: The date consent was given cannot be in the future/);
      assert.equal((await h.bot.store.cases.find()).length, 0);
    });

    it('refuses a request from someone who is not a SENCo or head', async () => {
      const card = await h.press(P.adele, 'submitRequest', classRequest);
      assert.match(textOf(card), /Only a school's SENCo or head teacher can raise a request/);
      assert.equal((await h.bot.store.cases.find()).length, 0);
    });

    it('raises a request once when Submit is pressed twice', async () => {
      const form = await h.press(P.megan, 'newRequest', { kind: 'class' });
      const submit = button(form, 'Submit request');
      const first = await h.press(P.megan, 'submitRequest', { ...submit.data, ...classRequest });
      const second = await h.press(P.megan, 'submitRequest', { ...submit.data, ...classRequest });
      assert.match(textOf(first), /Request submitted\. Your reference is EIP-2026-0001/);
      assert.match(textOf(second), /already submitted as EIP-2026-0001/);
      assert.equal((await h.bot.store.cases.find()).length, 1);
    });

    it('offers a primary school only its own year groups, and refuses another', async () => {
      const form = await h.press(P.megan, 'newRequest', { kind: 'class' });
      const years = JSON.stringify(form);
      assert.match(years, /"Year 6"/);
      assert.doesNotMatch(years, /"Year 7"/);
      const card = await h.press(P.megan, 'submitRequest', { ...classRequest, yearGroup: 'Year 9' });
      assert.match(textOf(card), /Year group: Choose a year group your school teaches/);
      assert.equal((await h.bot.store.cases.find()).length, 0);
    });

    it('numbers cases EIP-2026-0001, EIP-2026-0002 and records consent for individual casework', async () => {
      const first = await h.press(P.megan, 'submitRequest', classRequest);
      const second = await h.press(P.megan, 'submitRequest', individual);
      assert.match(textOf(first), /EIP-2026-0001/);
      assert.match(textOf(second), /EIP-2026-0002/);
      const consents = await h.bot.store.consents.find();
      assert.equal(consents.length, 1);
      assert.equal(consents[0]!.value.method, 'meeting');
    });

    it('works through the Action.Submit fallback for older clients', async () => {
      const mark = h.connector.mark();
      const r = await h.post({
        type: 'message',
        channelId: 'msteams',
        serviceUrl: h.connector.url,
        from: { id: `29:${P.megan.aadObjectId}`, aadObjectId: P.megan.aadObjectId, name: P.megan.name },
        recipient: { id: '28:bot' },
        conversation: { id: personalChat(P.megan), conversationType: 'personal', tenantId: TENANT },
        value: { verb: 'submitRequest', ...classRequest },
      });
      assert.equal(r.status, 200);
      assert.match(
        textOf(h.connector.cardsIn(personalChat(P.megan), mark)),
        /Request submitted\. Your reference is EIP-2026-0001/,
      );
    });
  });

  describe('triage and permissions', () => {
    it('refuses a co-ordinator action from a SENCo and changes nothing', async () => {
      const caseId = await raise(h);
      const card = await h.press(P.megan, 'accept', { caseId, observationDate: '2026-12-01' });
      assert.match(textOf(card), /Only the EIP co-ordinator can do that/);
      assert.match(textOf(card), /EIP-2026-0001\nWhole class 4B, Year 4/, 'the case stays in view');
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'submitted');
    });

    it('refuses an observation date in the past, keeping the form', async () => {
      const caseId = await raise(h);
      const card = await h.press(P.adele, 'accept', { caseId, observationDate: '2026-11-01' });
      assert.match(textOf(card), /Planned observation date: The observation date cannot be in the past/);
      assert.ok(button(card, 'Accept request'));
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'submitted');
    });

    for (const [day, what] of [
      ['2026-12-25', 'Christmas Day'],
      ['2026-12-22', 'the Christmas holiday, after term ends on 18 December'],
    ]) {
      it(`refuses an observation on ${what}, keeping the form`, async () => {
        const caseId = await raise(h);
        const card = await h.press(P.adele, 'accept', { caseId, observationDate: day });
        assert.match(textOf(card), /bank holiday or in the school holidays\. Choose a day in term/);
        assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'submitted');
      });
    }

    it('answers a second click on a stale card with "moved on", and changes nothing', async () => {
      const caseId = await raise(h);
      await h.press(P.adele, 'accept', { caseId, observationDate: '2026-12-01' });
      const before = await h.bot.store.cases.get(caseId);
      const card = await h.press(P.adele, 'accept', { caseId, observationDate: '2026-12-03' });
      assert.match(textOf(card), /moved on/);
      const after = await h.bot.store.cases.get(caseId);
      assert.equal(after?.eTag, before?.eTag);
      assert.equal(after?.value.observationDate, '2026-12-01');
    });

    it('keeps another school’s case from a SENCo', async () => {
      const caseId = await raise(h);
      const card = await h.press(P.lynne, 'openCase', { caseId });
      assert.match(textOf(card), /belongs to another school/);
    });

    it('shows the SENCo only their own school’s cases in My cases, and what waits on them', async () => {
      await raise(h);
      const [asLynne] = await h.say(P.lynne, 'my cases');
      assert.match(textOf(asLynne), /No open cases/);
      const caseId = await raise(h);
      await h.press(P.adele, 'returnCase', { caseId, question: 'Which lessons?' });
      const [tray] = await h.say(P.megan, 'my cases');
      assert.match(textOf(tray), /2 open cases, 1 waiting on you/);
      assert.match(textOf(tray), /EIP-2026-0002 · Returned with a question\n[^\n]*\nWaiting on you/);
    });

    it('lets the school withdraw a request, and tells the co-ordinator', async () => {
      const caseId = await raise(h);
      const mark = h.connector.mark();
      const card = await h.press(P.megan, 'withdraw', { caseId });
      assert.match(textOf(card), /Request withdrawn/);
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'closed');
      assert.match(textOf(h.connector.cardsIn(personalChat(P.adele), mark)), /EIP-2026-0001 withdrawn/);
    });

    it('audits every read of a named case', async () => {
      const caseId = await raise(h, individual);
      await h.press(P.adele, 'openCase', { caseId });
      const views = (await h.bot.store.audit.list(caseId)).filter((a) => a.action === 'view');
      assert.equal(views.length, 1);
      assert.equal(views[0]!.actor, P.adele.aadObjectId);
    });
  });

  describe('the panel', () => {
    async function toPanel(): Promise<string> {
      await h.say(P.adele, 'panel here', 'panel');
      const caseId = await raise(h, individual);
      await acceptAndAssess(h, caseId, {
        findings: 'Rosa struggles with reading.',
        needsIdentified: 'Phonics gaps.',
      });
      const card = await h.press(P.adele, 'propose', {
        caseId,
        service1: 'specialist-teaching@inclusion-support-team',
        sessions1: '6',
        rationale: 'Rosa Lind needs targeted teaching.',
        outcomes: 'Reading age up by six months.',
        reviewDate: '2027-02-26',
      });
      assert.match(textOf(card), /Sent to the panel's chat/, textOf(card));
      return caseId;
    }

    it('refuses "panel here" from a SENCo and in a 1:1 chat', async () => {
      const [senco] = await h.say(P.megan, 'panel here', 'panel');
      assert.match(textOf(senco), /Only the EIP co-ordinator or an admin/);
      const [personal] = await h.say(P.adele, 'panel here');
      assert.match(textOf(personal), /not in a 1:1 chat/);
    });

    it('refuses to propose before the panel chat is registered, keeping the form as typed, and changes nothing', async () => {
      const caseId = await raise(h);
      await acceptAndAssess(h, caseId);
      const card = await h.press(P.adele, 'propose', {
        caseId,
        service1: 'mentoring@other',
        otherProvider1: 'P',
        sessions1: '1',
        unitCost1: '10',
        rationale: 'r',
        outcomes: 'o',
        reviewDate: '2027-01-10',
      });
      assert.match(textOf(card), /no panel chat yet/);
      assert.match(textOf(card), /Proposal for the panel/, 'the form comes back');
      assert.match(JSON.stringify(card), /"id":"otherProvider1"[^}]*"value":"P"/, 'with what was typed');
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'assessed');
      assert.equal((await h.bot.store.proposals.find()).length, 0);
    });

    it('pseudonymises the panel card, redacting a name typed into free text', async () => {
      const mark = h.connector.mark();
      await toPanel();
      const posted = h.connector.cardsIn(PANEL_CHAT, mark).filter((c) => /For the panel/.test(textOf(c)));
      assert.equal(posted.length, 1);
      const json = JSON.stringify(posted[0]);
      assert.ok(!/Rosa|Lind/.test(json), json);
      assert.match(textOf(posted[0]), /\[pupil\] needs targeted teaching/);
    });

    it('needs a comment to decline, and keeps the vote uncast', async () => {
      const caseId = await toPanel();
      const card = await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'decline' }, 'panel');
      assert.match(textOf(card), /Comment: Say why/);
      assert.equal((await h.bot.store.votes.find({ caseId })).length, 0);
    });

    it('refuses a vote from someone not on the panel', async () => {
      const caseId = await toPanel();
      const card = await h.press(P.megan, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
      assert.match(textOf(card), /Only members of the EIP panel can vote/);
      assert.equal((await h.bot.store.votes.find({ caseId })).length, 0);
    });

    it('decides a tie as changes requested, returning the proposal to the co-ordinator to revise', async () => {
      const caseId = await toPanel();
      await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
      const mark = h.connector.mark();
      const card = await h.press(
        P.lynne,
        'vote',
        { caseId, round: 1, choice: 'decline', comment: 'Too costly for the outcome.' },
        'panel',
      );
      assert.match(textOf(card), /Decided: Changes requested/);
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'changes_requested');
      const toCoordinator = h.connector.cardsIn(personalChat(P.adele), mark);
      assert.ok(button(toCoordinator[0], 'Revise proposal'));
      const form = await h.press(P.adele, 'showForm', button(toCoordinator[0], 'Revise proposal').data);
      assert.match(textOf(form), /The panel said:\nLynne Robbins: Too costly for the outcome\./);
      assert.match(
        JSON.stringify(form),
        /"id":"service1","label":"Intervention 1: service and provider","value":"specialist-teaching@inclusion-support-team"/,
        'the service and provider the panel saw are chosen',
      );
      assert.match(
        JSON.stringify(form),
        /"id":"sessions1","label":"[^"]*","value":6/,
        'sessions as a number',
      );
      const revised = await h.press(P.adele, 'propose', {
        caseId,
        service1: 'specialist-teaching@inclusion-support-team',
        sessions1: '4',
        rationale: 'Fewer sessions.',
        outcomes: 'Reading age up.',
        reviewDate: '2027-02-26',
      });
      assert.match(textOf(revised), /Sent to the panel's chat/);
      const round2 = h.connector
        .cardsIn(PANEL_CHAT)
        .filter((c) => /For the panel/.test(textOf(c)))
        .at(-1);
      assert.match(textOf(round2), /For the panel: EIP-2026-0001, revised proposal \(round 2\)/);
      const stale = await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
      assert.match(textOf(stale), /replaced by a revised one/);
      assert.equal((await h.bot.store.votes.find({ caseId, round: 2 })).length, 0);
    });

    it('gives each member their own view on refresh: their vote, or why they cannot vote', async () => {
      const caseId = await toPanel();
      await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
      const alex = await h.press(P.alex, 'panelView', { caseId, round: 1 }, 'panel');
      assert.match(textOf(alex), /You voted to approve/);
      assert.deepEqual(
        buttonsOf(alex).filter((b) => b.verb === 'vote'),
        [],
      );
      const patti = await h.press(P.patti, 'panelView', { caseId, round: 1 }, 'panel');
      assert.match(textOf(patti), /your school raised it/);
      const lynne = await h.press(P.lynne, 'panelView', { caseId, round: 1 }, 'panel');
      assert.match(textOf(lynne), /Lynne Robbins, you haven't voted yet/);
      assert.deepEqual(
        buttonsOf(lynne)
          .filter((b) => b.verb === 'vote')
          .map((b) => b.title),
        ['Approve', 'Request changes', 'Decline'],
      );
    });

    it('shows a panel member the case in their 1:1 chat without the school, the raiser or the name, and where to vote', async () => {
      const caseId = await toPanel();
      const card = await h.press(P.alex, 'openCase', { caseId });
      const text = textOf(card);
      assert.match(text, /Waiting on your vote in the panel's chat|waiting on your vote in the panel's chat/);
      assert.match(text, /A primary school/);
      assert.doesNotMatch(
        text,
        /Small-group phonics|Rosa struggles with reading/,
        "the school's own words stay with the school",
      );
      assert.match(text, /Phonics gaps/, 'what the panel card shows, it shows');
      assert.ok(!/Oakfield|Megan Bowen|Rosa|Lind/.test(JSON.stringify(card)), text);
    });

    it("shows the school the panel's comments without saying which head teacher wrote them", async () => {
      const caseId = await toPanel();
      await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
      await h.press(
        P.lynne,
        'vote',
        { caseId, round: 1, choice: 'changes', comment: 'Add a parent session.' },
        'panel',
      );
      const senco = textOf(await h.press(P.megan, 'openCase', { caseId }));
      assert.match(senco, /A panel member: Add a parent session\./);
      assert.doesNotMatch(senco, /Lynne Robbins/);
      const coordinator = textOf(await h.press(P.adele, 'openCase', { caseId }));
      assert.match(coordinator, /Lynne Robbins: Add a parent session\./);
    });

    it('decides once when the deciding votes arrive together, and tells the school once', async () => {
      const caseId = await toPanel();
      const mark = h.connector.mark();
      const cards = await Promise.all([
        h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel'),
        h.press(P.lynne, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel'),
      ]);
      assert.ok(cards.some((c) => /Decided: Approved/.test(textOf(c))));
      assert.equal((await h.bot.store.decisions.find({ caseId })).length, 1);
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'approved');
      const told = h.connector
        .cardsIn(personalChat(P.megan), mark)
        .filter((c) => /EIP-2026-0001: Approved/.test(textOf(c)));
      assert.equal(told.length, 1);
    });

    it('lists the members who may vote in the card refresh', async () => {
      const mark = h.connector.mark();
      await toPanel();
      const [posted] = h.connector.cardsIn(PANEL_CHAT, mark).filter((c) => /For the panel/.test(textOf(c)));
      const refresh = (posted as { refresh: { userIds: string[] } }).refresh;
      assert.deepEqual(
        refresh.userIds.sort(),
        [`29:${P.alex.aadObjectId}`, `29:${P.lynne.aadObjectId}`].sort(),
      );
    });
  });
});

describe('privacy in group chats', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: () => NOW });
    for (const p of [P.megan, P.adele]) await h.say(p, 'hello');
  });
  afterEach(async () => h.stop());

  it('never lists or opens cases in a group chat, and points to the 1:1 chat', async () => {
    const caseId = await raise(h, individual);
    const [typed] = await h.say(P.adele, 'my cases', 'panel');
    assert.match(textOf(typed), /only in your 1:1 chat/);
    const pressed = await h.press(P.adele, 'openCase', { caseId }, 'panel');
    assert.match(textOf(pressed), /only in your 1:1 chat/);
    assert.ok(!JSON.stringify(h.connector.cardsIn(PANEL_CHAT)).includes('Rosa'));
    assert.ok(!JSON.stringify(pressed).includes('Rosa'));
  });

  it('offers no request or case buttons on the menu in a group chat', async () => {
    const [menu] = await h.say(P.megan, '<at>EIP bot</at> help', 'panel');
    assert.deepEqual(buttonsOf(menu), []);
    assert.match(textOf(menu), /pupils are never named here/);
  });
});

describe('local mode with one emulator user', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterEach(async () => h.stop());

  it('delivers to the one chat what a person who never chatted would be sent, saying whom it is for', async () => {
    await h.say(P.megan, 'hello');
    const mark = h.connector.mark();
    const card = await h.press(P.megan, 'submitRequest', classRequest);
    assert.match(textOf(card), /The co-ordinator is being told/);
    const [notice] = h.connector.cardsIn(personalChat(P.megan), mark);
    assert.match(textOf(notice), /^For Adele Vance\nNew request EIP-2026-0001/);
  });
});
