// A case following a child to the next setting, end to end: the transition list in the summer term, a transfer
// refused without consent and made with it, the receiving SENCo told in Teams and seeing only the summary and the
// documents chosen for them, the sending school's view unchanged, and a new request from the receiving school that
// the co-ordinator reads as one chronology with the case it follows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import {
  P,
  button,
  buttonsOf,
  personalChat,
  startHarness,
  textOf as cardText,
  type Harness,
  type TestPerson,
} from '../support/harness';
import { caseRecord } from '../support/records';
import { FileHost, docx, pdf, plain, sendFile } from '../app/files/support';

const textOf = (card: unknown) => plain(cardText(card));
const NOW = new Date('2027-06-15T10:00:00Z');
const AUTH = { authorization: 'Bearer s3cret' };
/** Hillcrest's SENCo, added to the fixture directory for these tests. */
const JONI: TestPerson = { aadObjectId: '00000000-0000-0000-0000-0000000000041', name: 'Joni Sherman' };

function directoryWithHillcrestSenco(): string {
  const file = path.join(__dirname, '..', 'fixtures', 'directory.json');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { people: unknown[] };
  raw.people.push({
    aadObjectId: JONI.aadObjectId,
    name: JONI.name,
    email: 'jonis@example.com',
    roles: ['senco'],
    schoolId: 'hillcrest-academy',
  });
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eip-dir-')), 'directory.json');
  fs.writeFileSync(out, JSON.stringify(raw));
  return out;
}

const TRANSFER = {
  toSchoolId: 'hillcrest-academy',
  consentGivenBy: 'Jo Okonkwo-Price (mother)',
  consentDate: '2027-06-10',
  consentMethod: 'meeting',
  tried: 'A calm corner and a daily check-in.',
  worked: 'Counselling: ten sessions, weekly.',
  outcomes: 'Fewer incidents; attends full days.',
  needs: 'Support at the move to a larger school.',
};

describe('a case following a child to secondary school', function () {
  this.timeout(60_000);
  let h: Harness;
  let host: FileHost;
  let directory: string;

  before(() => {
    directory = directoryWithHillcrestSenco();
  });
  after(() => fs.rmSync(path.dirname(directory), { recursive: true, force: true }));
  beforeEach(async () => {
    host = new FileHost();
    await host.start();
    h = await startHarness({ now: () => NOW, directory, env: { EIP_JOBS_TOKEN: 's3cret' } });
    // Raised in Year 6 this school year, commissioned, at Oakfield Primary.
    await h.bot.store.cases.create(
      caseRecord({
        id: 'c1',
        raisedAt: '2026-11-02T09:00:00.000Z',
        status: 'commissioned',
        round: 1,
        request: {
          kind: 'individual',
          pupilName: 'Sam Okonkwo-Price',
          yearGroup: 'Year 6',
          needs: ['semh'],
          tried: 'A calm corner.',
          asked: 'Counselling.',
        },
      }),
    );
    for (const p of [P.megan, P.adele, JONI, P.lynne]) await h.say(p, 'help');
  });
  afterEach(async () => {
    await h.stop();
    await host.stop();
  });

  async function keep(name: string, bytes: Buffer, kind: string): Promise<void> {
    const card = await sendFile(h, P.megan, name, host.put(`/${encodeURIComponent(name)}`, bytes));
    if (!buttonsOf(card).some((b) => b.verb === 'attachFile')) throw new Error(textOf(card));
    await h.press(P.megan, 'attachFile', { ...button(card, 'Keep with this case').data, caseId: 'c1', kind });
  }

  const told = (p: TestPerson, since: number) => h.connector.cardsIn(personalChat(p), since);

  it('lists the child for the co-ordinator in the summer term, once', async () => {
    const mark = h.connector.mark();
    const run = async () =>
      fetch(`${h.bot.url}/api/reminders/run?now=2027-06-15`, { method: 'POST', headers: AUTH }).then((r) =>
        r.json(),
      );
    const report = await run();
    await h.bot.outbox.idle();
    assert.match(JSON.stringify(report), /transitions/);
    const cards = told(P.adele, mark).filter((c) => /Transitions this summer/.test(textOf(c)));
    assert.equal(cards.length, 1);
    assert.match(textOf(cards[0]), /EIP-2026-0001/);
    assert.match(textOf(cards[0]), /Year 6 at Oakfield Primary School: moves on after this summer/);
    assert.equal(told(P.megan, mark).length, 0, 'the list is the co-ordinator’s alone');
    await run();
    assert.equal(told(P.adele, mark).filter((c) => /Transitions this summer/.test(textOf(c))).length, 1);
    // In the autumn term nobody is reminded.
    const before = h.connector.mark();
    await fetch(`${h.bot.url}/api/reminders/run?now=2027-10-05`, { method: 'POST', headers: AUTH });
    assert.equal(told(P.adele, before).filter((c) => /Transitions/.test(textOf(c))).length, 0);
  });

  it('refuses a transfer without consent, makes it with consent, and shows the receiving school only what was sent', async () => {
    await keep('Support plan.pdf', pdf('plan'), 'support-plan');
    await keep('Observation notes.docx', docx(), 'observation-notes');
    const files = (await h.bot.store.files.find({ caseId: 'c1' })).map((s) => s.value);
    const plan = files.find((f) => f.kind === 'support-plan')!;
    const notes = files.find((f) => f.kind === 'observation-notes')!;
    const sendingView = textOf(await h.press(P.megan, 'openCase', { caseId: 'c1' }));

    const adeleCase = await h.press(P.adele, 'openCase', { caseId: 'c1' });
    const form = await h.press(P.adele, 'transferForm', button(adeleCase, 'Transfer to new school').data);
    assert.match(textOf(form), /The parents' consent to the transfer/);
    assert.match(textOf(form), /Support plan\.pdf \(SEN support plan\)/);

    // Without consent: refused, nothing written, nobody told.
    const mark = h.connector.mark();
    const refused = await h.press(P.adele, 'transfer', {
      caseId: 'c1',
      ...TRANSFER,
      consentGivenBy: '',
      consentDate: '',
      consentMethod: '',
      fileIds: plan.id,
    });
    assert.match(textOf(refused), /Consent given by: Record who gave the parents' consent to the transfer/);
    assert.match(textOf(refused), /Date consent given: Choose a date/);
    assert.equal(await h.bot.store.transfers.get('c1'), undefined);
    assert.equal(told(JONI, mark).length, 0);

    // With consent: the transfer, with who, when and how.
    const done = await h.press(P.adele, 'transfer', { caseId: 'c1', ...TRANSFER, fileIds: plan.id });
    assert.match(
      textOf(done),
      /EIP-2026-0001 transferred to Hillcrest Academy\. Its SENCo (has been|is being) told/,
    );
    const t = (await h.bot.store.transfers.get('c1'))!.value;
    assert.deepEqual(t.consent, {
      givenBy: 'Jo Okonkwo-Price (mother)',
      date: '2027-06-10',
      method: 'meeting',
    });
    assert.deepEqual(t.fileIds, [plan.id]);
    assert.equal(t.toSchoolId, 'hillcrest-academy');
    const trail = await h.bot.store.audit.list('c1');
    assert.ok(trail.some((e) => e.action === 'transfer' && /consent meeting, 2027-06-10/.test(e.detail)));
    // A second transfer of the same case is refused.
    const again = await h.press(P.adele, 'transfer', { caseId: 'c1', ...TRANSFER, fileIds: plan.id });
    assert.match(textOf(again), /has been transferred already/);

    // The receiving SENCo is told in Teams, without the pupil's name in the message.
    const [notice, ...more] = told(JONI, mark);
    assert.equal(more.length, 0);
    assert.match(textOf(notice), /A case transferred to Hillcrest Academy/);
    assert.doesNotMatch(textOf(notice), /Sam/);
    assert.equal(told(P.lynne, mark).length, 0, 'the head is not told when the school has a SENCo');

    // What they see: the child, the summary, and the document chosen for them; not the rest.
    const view = await h.press(JONI, 'openTransfer', button(notice, 'Open transfer').data);
    const seen = textOf(view);
    assert.match(seen, /Sam Okonkwo-Price/);
    assert.match(seen, /Transferred from Oakfield Primary School/);
    for (const words of Object.values(TRANSFER).slice(4)) assert.ok(seen.includes(words), words);
    assert.match(seen, /Support plan\.pdf/);
    assert.doesNotMatch(seen, /Observation notes/);
    assert.doesNotMatch(seen, /Counselling\.$|A calm corner\.$/m, "not the case's own records");
    const opens = buttonsOf(view).filter((b) => b.verb === 'openFile');
    assert.deepEqual(
      opens.map((b) => plain(b.title)),
      ['Open document 1'],
    );
    const open = await h.press(JONI, 'openFile', opens[0]!.data);
    const url = (open.actions as { type: string; url?: string }[]).find(
      (a) => a.type === 'Action.OpenUrl',
    )!.url!;
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf('plan'));
    assert.ok(
      (await h.bot.store.audit.list('c1')).some(
        (e) => e.action === 'open-file' && /transferred/.test(e.detail),
      ),
    );
    // The document not sent, the case card and its document list stay closed to them.
    for (const [verb, data] of [
      ['openFile', { fileId: notes.id, caseId: 'c1' }],
      ['openCase', { caseId: 'c1' }],
      ['caseFiles', { caseId: 'c1' }],
    ] as const) {
      const answer = textOf(await h.press(JONI, verb, data));
      assert.match(answer, /Only |another school/, `${verb}: ${answer}`);
      assert.doesNotMatch(answer, /Observation notes|A calm corner/);
    }
    // Nor does another school see the transfer.
    assert.match(
      textOf(await h.press(P.alex, 'openTransfer', { caseId: 'c1' })),
      /Only the receiving school/,
    );

    // The sending school's view of its case is as it was.
    assert.equal(textOf(await h.press(P.megan, 'openCase', { caseId: 'c1' })), sendingView);

    // A new request from the receiving school follows the transferred case.
    const newForm = await h.press(JONI, 'newRequest', button(view, 'Raise a request for this child').data);
    assert.match(textOf(newForm), /follows a case transferred from Oakfield Primary School/);
    const submitted = await h.press(JONI, 'submitRequest', {
      ...button(newForm, 'Submit request').data,
      pupilName: 'Sam Okonkwo-Price',
      yearGroup: 'Year 7',
      needs: 'semh',
      tried: 'Transition visits.',
      asked: 'Mentoring.',
      consentGivenBy: 'Jo Okonkwo-Price (mother)',
      consentDate: '2027-06-14',
      consentMethod: 'in-writing',
    });
    assert.match(textOf(submitted), /Request submitted/);
    const [linked] = (await h.bot.store.cases.find({ schoolId: 'hillcrest-academy' })).map((s) => s.value);
    assert.equal(linked?.linkedFrom, 'c1');

    // The co-ordinator reads one chronology, from either case.
    for (const caseId of [linked!.id, 'c1']) {
      const history = textOf(await h.press(P.adele, 'history', { caseId }));
      assert.match(history, /One chronology of EIP-2026-0001 and EIP-2027-0001/);
      assert.match(history, /Document added/);
      assert.match(history, /Transferred to a new school, with consent/);
      assert.match(history, /Request submitted/);
    }
  });

  it('keeps a transfer and its message together: a crash between the two writes is finished once, by a retry or at start', async () => {
    // The bot stops after the transfer is written and before its message reaches the outbox.
    const crash = sinon.stub(h.bot.store.outbox, 'create').rejects(new Error('the bot stopped'));
    const mark = h.connector.mark();
    await h.press(P.adele, 'transfer', { caseId: 'c1', ...TRANSFER, fileIds: '' });
    crash.restore();
    const saved = (await h.bot.store.transfers.get('c1'))!.value;
    assert.equal(saved.toSchoolId, 'hillcrest-academy');
    assert.equal(saved.outbox?.length, 1, 'the message is written with the transfer');
    await h.bot.outbox.idle();
    assert.equal(told(JONI, mark).length, 0, 'not sent yet');

    // Pressed again: the same transfer is finished, not refused, and its school told once.
    const again = await h.press(P.adele, 'transfer', { caseId: 'c1', ...TRANSFER, fileIds: '' });
    assert.match(
      textOf(again),
      /EIP-2026-0001 transferred to Hillcrest Academy\. Its SENCo (has been|is being) told/,
    );
    await h.bot.outbox.idle();
    assert.equal(told(JONI, mark).filter((c) => /A case transferred/.test(textOf(c))).length, 1);
    const audited = (await h.bot.store.audit.list('c1')).filter((e) => e.action === 'transfer');
    assert.equal(audited.length, 1);
    // Once finished, a further press is refused, and a restart sends nothing more.
    assert.match(
      textOf(await h.press(P.adele, 'transfer', { caseId: 'c1', ...TRANSFER, fileIds: '' })),
      /has been transferred already, to Hillcrest Academy/,
    );
    await h.bot.outbox.start();
    assert.equal(told(JONI, mark).filter((c) => /A case transferred/.test(textOf(c))).length, 1);
  });

  it('sends the message of a transfer saved just before a crash when the bot starts again, once', async () => {
    const crash = sinon.stub(h.bot.store.outbox, 'create').rejects(new Error('the bot stopped'));
    const mark = h.connector.mark();
    await h.press(P.adele, 'transfer', { caseId: 'c1', ...TRANSFER, fileIds: '' });
    crash.restore();
    assert.equal(told(JONI, mark).length, 0);
    await h.bot.outbox.start();
    await h.bot.outbox.start();
    assert.equal(told(JONI, mark).filter((c) => /A case transferred/.test(textOf(c))).length, 1);
  });

  it('refuses a transfer outside its window: an open Year 4 case, a case closed for another reason', async () => {
    const year4 = { ...caseRecord({ id: 'c1' }).request, yearGroup: 'Year 4' as const };
    await h.bot.store.cases.create(
      caseRecord({
        id: 'c2',
        raisedAt: '2026-11-02T09:00:00.000Z',
        status: 'commissioned',
        round: 1,
        request: year4,
      }),
    );
    await h.bot.store.cases.create(
      caseRecord({
        id: 'c3',
        status: 'closed',
        closureReason: 'needs-met',
        closedFrom: 'commissioned',
        closedAt: '2027-05-20T10:00:00.000Z',
        round: 1,
        request: year4,
      }),
    );
    const mark = h.connector.mark();
    for (const caseId of ['c2', 'c3']) {
      const card = await h.press(P.adele, 'openCase', { caseId });
      assert.equal(
        buttonsOf(card).some((b) => b.verb === 'transferForm'),
        false,
        `${caseId}: no transfer button`,
      );
      for (const verb of ['transferForm', 'transfer']) {
        const answer = textOf(await h.press(P.adele, verb, { caseId, ...TRANSFER }));
        assert.match(
          answer,
          /can be transferred once it is closed because the child moved school, or in the summer term/,
        );
      }
      assert.equal(await h.bot.store.transfers.get(caseId), undefined);
    }
    assert.equal(told(JONI, mark).length, 0);
  });

  it('leaves off the transition list a Year 5 child, a case closed over a year ago, a class request and other phases', async () => {
    const base = caseRecord({ id: 'c1' }).request;
    const add = (id: string, over: Parameters<typeof caseRecord>[0]) =>
      h.bot.store.cases.create(caseRecord({ ...over, id, ref: `EIP-2026-00${id.slice(1)}` }));
    await add('c12', {
      id: 'c12',
      status: 'commissioned',
      round: 1,
      request: { ...base, yearGroup: 'Year 5' },
    });
    await add('c13', {
      id: 'c13',
      raisedAt: '2025-11-03T09:00:00.000Z',
      status: 'closed',
      closureReason: 'needs-met',
      closedAt: '2026-05-01T10:00:00.000Z',
      request: { ...base, yearGroup: 'Year 5' },
    });
    await add('c14', {
      id: 'c14',
      status: 'commissioned',
      request: { ...base, kind: 'class', pupilName: undefined, className: '6B', yearGroup: 'Year 6' },
    });
    await add('c15', {
      id: 'c15',
      schoolId: 'hillcrest-academy',
      status: 'commissioned',
      request: { ...base, yearGroup: 'Year 6' },
    });
    const [list] = await h.say(P.adele, 'transitions');
    const seen = textOf(list);
    assert.match(seen, /EIP-2026-0001/);
    for (const ref of ['EIP-2026-0012', 'EIP-2026-0013', 'EIP-2026-0014', 'EIP-2026-0015'])
      assert.ok(!seen.includes(ref), `${ref} is not listed`);
    assert.match(seen, /1 child with open or recent cases is in the last year/);
  });

  it('keeps the one-chronology note when a joined history is cut short', async () => {
    await h.press(P.adele, 'transfer', { caseId: 'c1', ...TRANSFER, fileIds: '' });
    await h.bot.store.cases.create(
      caseRecord({ id: 'c2', schoolId: 'hillcrest-academy', raisedBy: JONI.aadObjectId, linkedFrom: 'c1' }),
    );
    for (let i = 0; i < 70; i++)
      await h.bot.store.audit.append({
        at: new Date(NOW.getTime() - (i + 1) * 60_000).toISOString(),
        actor: P.adele.aadObjectId,
        action: 'add-file',
        caseId: 'c1',
        detail: 'EIP-2026-0001 other (pdf, 10 bytes)',
        outcome: 'done',
      });
    const history = textOf(await h.press(P.adele, 'history', { caseId: 'c2' }));
    assert.match(history, /One chronology of EIP-2026-0001 and EIP-2026-0002, joined by a transfer/);
    assert.match(history, /Showing the latest 60 of \d+ steps/);
  });

  it('lets the co-ordinator withdraw a transfer sent to the wrong school, after a confirm step, and transfer it again', async () => {
    await keep('Support plan.pdf', pdf('plan'), 'support-plan');
    const [plan] = (await h.bot.store.files.find({ caseId: 'c1' })).map((s) => s.value);
    await h.press(P.adele, 'transfer', { caseId: 'c1', ...TRANSFER, fileIds: plan!.id });
    await h.bot.outbox.idle();
    const mark = h.connector.mark();

    // From the transfer, the co-ordinator asks to withdraw it, and is asked to confirm; nothing changes yet.
    const view = await h.press(P.adele, 'openTransfer', { caseId: 'c1' });
    const confirm = await h.press(P.adele, 'withdrawTransferForm', button(view, 'Withdraw transfer').data);
    assert.match(textOf(confirm), /Withdraw the transfer of EIP-2026-0001 to Hillcrest Academy\?/);
    assert.match(textOf(confirm), /will no longer see the transition summary or the documents/);
    assert.ok(await h.bot.store.transfers.get('c1'), 'not withdrawn before it is confirmed');
    const kept = await h.press(P.adele, 'openTransfer', button(confirm, 'Keep the transfer').data);
    assert.match(textOf(kept), /What worked/);

    const done = await h.press(P.adele, 'withdrawTransfer', button(confirm, 'Withdraw the transfer').data);
    assert.match(
      textOf(done),
      /The transfer of EIP-2026-0001 to Hillcrest Academy is withdrawn: that school no longer sees it/,
    );
    assert.equal(await h.bot.store.transfers.get('c1'), undefined);
    const trail = await h.bot.store.audit.list('c1');
    assert.equal(trail.filter((e) => e.action === 'withdraw-transfer').length, 1);
    await h.bot.outbox.idle();

    // Hillcrest's SENCo and head are told, without the pupil's name, and lose the summary and the document at once.
    for (const p of [JONI, P.lynne]) {
      const notices = told(p, mark).filter((c) => /was withdrawn/.test(textOf(c)));
      assert.equal(notices.length, 1, p.name);
      assert.match(textOf(notices[0]), /A transfer to Hillcrest Academy was withdrawn/);
      assert.doesNotMatch(textOf(notices[0]), /Sam/);
      assert.match(textOf(await h.press(p, 'openTransfer', { caseId: 'c1' })), /Only the receiving school/);
      assert.match(
        textOf(await h.press(p, 'openFile', { fileId: plan!.id, caseId: 'c1' })),
        /Only the case's school and the co-ordinator/,
      );
      const [tray] = await h.say(p, 'my cases');
      assert.doesNotMatch(textOf(tray), /Transferred to your school/);
    }
    assert.match(
      textOf(await h.press(JONI, 'newRequest', { kind: 'individual', linkedFrom: 'c1' })),
      /Only the school a case was transferred to/,
    );
    // Pressed again: nothing to withdraw, and nobody told twice.
    assert.match(
      textOf(await h.press(P.adele, 'withdrawTransfer', { caseId: 'c1' })),
      /has no transfer to withdraw/,
    );

    // Now to the right school.
    const again = await h.press(P.adele, 'transfer', {
      caseId: 'c1',
      ...TRANSFER,
      toSchoolId: 'brookside-primary',
      fileIds: plan!.id,
    });
    assert.match(textOf(again), /EIP-2026-0001 transferred to Brookside Primary School/);
    await h.bot.outbox.idle();
    assert.equal(told(JONI, mark).filter((c) => /was withdrawn/.test(textOf(c))).length, 1);
  });

  it('finishes a withdrawal the bot stopped in the middle of, telling the school once; the school loses access at once', async () => {
    await h.press(P.adele, 'transfer', { caseId: 'c1', ...TRANSFER, fileIds: '' });
    await h.bot.outbox.idle();
    const mark = h.connector.mark();
    const crash = sinon.stub(h.bot.store.outbox, 'create').rejects(new Error('the bot stopped'));
    await h.press(P.adele, 'withdrawTransfer', { caseId: 'c1' });
    crash.restore();
    assert.ok(
      (await h.bot.store.transfers.get('c1'))?.value.withdrawnAt,
      'marked withdrawn, with its message',
    );
    assert.match(textOf(await h.press(JONI, 'openTransfer', { caseId: 'c1' })), /Only the receiving school/);
    const done = await h.press(P.adele, 'withdrawTransfer', { caseId: 'c1' });
    assert.match(textOf(done), /is withdrawn/);
    await h.bot.outbox.idle();
    await h.bot.outbox.start();
    assert.equal(told(JONI, mark).filter((c) => /was withdrawn/.test(textOf(c))).length, 1);
    assert.equal(await h.bot.store.transfers.get('c1'), undefined);
    assert.equal(
      (await h.bot.store.audit.list('c1')).filter((e) => e.action === 'withdraw-transfer').length,
      1,
    );
  });

  it('refuses a crafted link to a case transferred to another school', async () => {
    await h.bot.store.transfers.create({
      id: 'c1',
      caseId: 'c1',
      fromSchoolId: 'oakfield-primary',
      toSchoolId: 'brookside-primary',
      consent: { givenBy: 'Jo', date: '2027-06-10', method: 'meeting' },
      summary: { tried: 't', worked: 'w', outcomes: 'o', needs: 'n' },
      fileIds: [],
      transferredBy: P.adele.aadObjectId,
      transferredAt: NOW.toISOString(),
    });
    const answer = await h.press(JONI, 'newRequest', { kind: 'individual', linkedFrom: 'c1' });
    assert.match(textOf(answer), /Only the school a case was transferred to/);
    assert.equal(
      buttonsOf(answer).some((b) => b.verb === 'submitRequest'),
      false,
    );
  });
  it("lists a transfer in the receiving SENCo's and head's my cases, opening the transfer only", async () => {
    await keep('Support plan.pdf', pdf('plan'), 'support-plan');
    const [plan] = (await h.bot.store.files.find({ caseId: 'c1' })).map((s) => s.value);
    await h.bot.store.transfers.create({
      id: 'c1',
      caseId: 'c1',
      fromSchoolId: 'oakfield-primary',
      toSchoolId: 'hillcrest-academy',
      consent: { givenBy: 'Jo Okonkwo-Price (mother)', date: '2027-06-10', method: 'meeting' },
      summary: {
        tried: 'A calm corner.',
        worked: 'Counselling.',
        outcomes: 'Fewer incidents.',
        needs: 'Mentoring.',
      },
      fileIds: [plan!.id],
      transferredBy: P.adele.aadObjectId,
      transferredAt: NOW.toISOString(),
    });
    const [tray] = await h.say(JONI, 'my cases');
    const seen = textOf(tray);
    assert.match(seen, /Transferred to your school/);
    assert.match(seen, /EIP-2026-0001 · Transferred/);
    assert.match(seen, /Sam Okonkwo-Price, Year 6/);
    assert.match(seen, /From Oakfield Primary School on .*: a transition summary and 1 document/);
    const open = buttonsOf(tray).filter((b) => b.data.caseId === 'c1');
    assert.deepEqual(
      open.map((b) => b.verb),
      ['openTransfer'],
      'the row opens the transfer, not the case',
    );
    const view = textOf(await h.press(JONI, open[0]!.verb, open[0]!.data));
    assert.match(view, /What worked/);
    assert.match(view, /Support plan\.pdf/);
    assert.doesNotMatch(view, /What the school is asking for/, "not the case's own records");

    // Hillcrest's head (Lynne) finds it too.
    const [head] = await h.say(P.lynne, 'my cases');
    assert.match(textOf(head), /Transferred to your school/);
    assert.deepEqual(
      buttonsOf(head)
        .filter((b) => b.data.caseId === 'c1')
        .map((b) => b.verb),
      ['openTransfer'],
    );

    // The sending school's tray lists its own case as before, with no transfer section.
    const [sending] = await h.say(P.megan, 'my cases');
    assert.doesNotMatch(textOf(sending), /Transferred to your school/);
    assert.deepEqual(
      buttonsOf(sending)
        .filter((b) => b.data.caseId === 'c1')
        .map((b) => b.verb),
      ['openCase'],
    );
  });

  it('gives the co-ordinator the transition list at any time: typed, or from the menu', async () => {
    const [typed] = await h.say(P.adele, 'transitions');
    assert.match(textOf(typed), /Transitions this summer/);
    assert.match(textOf(typed), /EIP-2026-0001/);
    assert.match(textOf(typed), /Year 6 at Oakfield Primary School/);
    const [menu] = await h.say(P.adele, 'help');
    const pressed = await h.press(P.adele, 'transitions', button(menu, 'Transitions').data);
    assert.equal(textOf(pressed), textOf(typed));
    assert.ok(
      (await h.bot.store.audit.list()).some((e) => e.action === 'list-transitions'),
      'each listing is audited',
    );
    // Nobody else has the list; and never in a group chat.
    const [senco] = await h.say(P.megan, 'transitions');
    assert.match(textOf(senco), /Only the EIP co-ordinator sees the transition list/);
    const [help] = await h.say(P.megan, 'help');
    assert.equal(
      buttonsOf(help).some((b) => b.verb === 'transitions'),
      false,
    );
    const [group] = await h.say(P.adele, 'transitions', 'panel');
    assert.match(textOf(group), /only in your 1:1 chat/);
  });
});
