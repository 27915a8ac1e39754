// No personal data where it must not be: one case's whole life through the real bot (raise, return and answer,
// accept, assess, propose, votes, decision, commission, spend, reviews, close), with a distinctive pupil name and date
// of birth that staff also type into free text, and every log line and every message the bot sent scanned for them.
// The rule (docs/data-protection.md): never in the logs, never in the panel's chat, never in the 1:1 chat of someone
// who may not see the named case, and even for those who may (the school's SENCo and head, the co-ordinator) never in
// a reminder, in a notification's facts, or in the ledger or agenda. Every line logged while handling an activity or
// a reminder run carries that run's correlation id.
import assert from 'node:assert/strict';
import { maySeeNamed } from '../../src/domain';
import {
  P,
  PANEL_CHAT,
  button,
  personalChat,
  startHarness,
  textOf,
  type Harness,
  type TestPerson,
} from '../support/harness';
import { fixtureDirectory } from '../support/records';

const PUPIL = 'Zéphyrine Quillfeather-Ashdown';
const TOKEN = 'no-personal-data-token';

/** Ways the pupil's name and date of birth (17 March 2016) can be written; each is looked for in every text. */
const PERSONAL: { what: string; pattern: RegExp }[] = [
  { what: 'first name', pattern: /z[ée]phyrine/i },
  { what: 'surname', pattern: /quillfeather|ashdown/i },
  { what: 'date of birth (ISO)', pattern: /2016-0?3-17/ },
  { what: 'date of birth (dd/mm/yyyy)', pattern: /\b17\s*[/.-]\s*0?3\s*[/.-]\s*(20)?16\b/ },
  { what: 'date of birth (mm/dd/yyyy)', pattern: /\b0?3\s*[/.-]\s*17\s*[/.-]\s*(20)?16\b/ },
  { what: 'date of birth (in words)', pattern: /\b17(st|th)?\s+(of\s+)?mar(ch)?,?\s+2016\b/i },
  { what: 'date of birth (month first)', pattern: /\bmar(ch)?\s+17(st|th)?,?\s+2016\b/i },
];

/** What personal data a text holds, by name. */
const found = (text: string) => PERSONAL.filter((p) => p.pattern.test(text)).map((p) => p.what);

/** The facts of every FactSet on a card, as "title: value" lines. */
function factsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'FactSet' && Array.isArray(o.facts))
        for (const f of o.facts as { title?: unknown; value?: unknown }[])
          out.push(`${String(f.title)}: ${String(f.value)}`);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** A message or answer the bot produced, where it went, and why it was sent. */
interface Seen {
  chat: string;
  card: unknown;
  /** What produced it: an answer to a press or command, a notification, or a reminder sweep. */
  by: string;
}

const PEOPLE = [P.megan, P.adele, P.alex, P.patti, P.lynne, P.isaiah];
const ownerOf = (chat: string) => PEOPLE.find((p) => personalChat(p) === chat);

describe('no personal data where it must not be', () => {
  let h: Harness;
  let now = new Date('2026-11-16T10:00:00Z');
  let startLines = 0;
  const answers: Seen[] = [];
  /** Why the bot sent what it sent, where the test knows: by index in what the connector received. */
  const sentFor = new Map<number, 'reminder' | 'ledger'>();

  before(async () => {
    h = await startHarness({ now: () => now, env: { EIP_JOBS_TOKEN: TOKEN } });
    startLines = h.logs.length;
  });
  after(async () => h.stop());

  const chatOf = (p: TestPerson, chat: 'personal' | 'panel') =>
    chat === 'panel' ? PANEL_CHAT : personalChat(p);
  const press = async (
    p: TestPerson,
    verb: string,
    data: Record<string, unknown>,
    chat: 'personal' | 'panel' = 'personal',
  ) => {
    const card = await h.press(p, verb, data, chat);
    answers.push({ chat: chatOf(p, chat), card, by: `${p.name} pressed ${verb}` });
    return card;
  };
  const sweep = async (day: string) => {
    const mark = h.connector.mark();
    const res = await fetch(`${h.bot.url}/api/reminders/run?now=${day}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(res.status, 200);
    for (let i = mark; i < h.connector.mark(); i += 1) sentFor.set(i, 'reminder');
    return (await res.json()) as { reminders: { kind: string; outcome: string }[] };
  };

  it('keeps the pupil out of the logs, the panel chat, reminders, facts and the ledger across a whole case', async () => {
    // The scanner itself: each way of writing the date of birth is caught, and an ordinary date is not.
    for (const t of [
      'born 17/03/2016',
      '17.3.16',
      '3/17/2016',
      '17th March 2016',
      'Thu 17 Mar 2016',
      'March 17, 2016',
    ])
      assert.notDeepEqual(found(t), [], t);
    assert.deepEqual(found('Observed Thu 26 Nov 2026; review Fri 19 Mar 2027; Year 4, 2016-17 intake'), []);

    for (const p of PEOPLE) await h.say(p, 'help');
    await h.say(P.adele, 'panel here', 'panel');

    // 1. The school raises the request: the name in its field, the name and date of birth in its own words. A first
    // try is refused (consent in the future), with the name on the form it comes back on.
    const request = {
      kind: 'individual',
      pupilName: PUPIL,
      yearGroup: 'Year 4',
      needs: 'semh,communication',
      tried: 'Zephyrine (born 17/03/2016) has had a daily check-in with a TA since September.',
      asked: `Counselling for ${PUPIL}, DOB 2016-03-17, and advice for her class teacher.`,
      consentGivenBy: 'Jo Quillfeather-Ashdown (mother)',
      consentMethod: 'in-writing',
    };
    const refused = await press(P.megan, 'submitRequest', { ...request, consentDate: '2026-12-01' });
    assert.match(textOf(refused), /cannot be in the future/);
    const submitted = await press(P.megan, 'submitRequest', { ...request, consentDate: '2026-11-10' });
    const caseId = String(button(submitted, 'Withdraw request').data.caseId);

    // 2. Triage waits more than five school days: the co-ordinator is reminded.
    now = new Date('2026-11-24T10:00:00Z');
    const triage = await sweep('2026-11-24');
    assert.ok(triage.reminders.some((r) => r.kind === 'triage-waiting' && r.outcome === 'sent'));
    await press(P.adele, 'returnCase', { caseId, question: "Has Zephyrine's family agreed to counselling?" });
    await press(P.megan, 'resubmit', {
      caseId,
      answer: 'Yes: Zéphyrine Quillfeather-Ashdown (date of birth 17 March 2016) and her mother agreed.',
    });
    await press(P.adele, 'accept', { caseId, observationDate: '2026-11-26' });

    // 3. Assessment and proposal, in the co-ordinator's words, naming the pupil.
    now = new Date('2026-11-26T15:00:00Z');
    await press(P.adele, 'assess', {
      caseId,
      observedOn: '2026-11-26',
      findings: 'Zephyrine (17.03.2016, youngest in the year) was dysregulated at every transition.',
      needsIdentified: 'Zephyrine needs language for feelings and a predictable adult.',
    });
    const opened = await press(P.adele, 'openCase', { caseId });
    await press(P.adele, 'propose', {
      caseId,
      service1: 'counselling@oakwood-counselling',
      sessions1: '12',
      rationale: `${PUPIL} needs help to regulate before she escalates; Quillfeather-Ashdown family agree.`,
      outcomes: '- Zéphyrine has fewer incidents at lunchtime\n- Zephyrine names feelings to an adult',
      reviewDate: '2027-03-19',
    });

    // 4. The panel: a conflicted member refused, one vote, a reminder to the member who has not voted, the decision.
    await press(P.patti, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
    await press(P.alex, 'vote', { caseId, round: 1, choice: 'approve', comment: 'Good plan.' }, 'panel');
    now = new Date('2026-12-01T09:00:00Z');
    await sweep('2026-12-01');
    await sweep('2026-12-02');
    now = new Date('2026-12-02T10:00:00Z');
    await press(
      P.lynne,
      'vote',
      { caseId, round: 1, choice: 'approve', comment: 'Review at half term.' },
      'panel',
    );
    assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'approved');

    // 5. Commissioning and spend.
    await press(P.adele, 'commission', {
      caseId,
      provider1: 'oakwood-counselling',
      start1: '2026-12-07',
      end1: '2027-03-19',
      cost1: '540',
    });
    now = new Date('2026-12-18T15:00:00Z');
    await press(P.adele, 'spend', {
      caseId,
      spendId: '5d0c1c1e-8a51-4a2e-9d7e-3f4b2a1c0e9d',
      packageId: `${caseId}:p1`,
      invoiceRef: 'OCS-2201',
      amount: '225',
      sessionsDelivered: '5',
      deliveredOn: '2026-12-18',
    });

    // 6. The interim review falls due and is recorded, with notes naming the pupil; then the final review, closure.
    now = new Date('2027-01-15T09:00:00Z');
    const due = await sweep('2027-01-15');
    assert.ok(due.reminders.some((r) => r.kind === 'review-due' && r.outcome === 'sent'));
    await press(P.adele, 'recordOutcome', {
      caseId,
      review: 'interim',
      progress1: 'some',
      progress2: 'good',
      notes: 'Agreed with Megan: Zephyrine settles faster (DOB 17/3/2016 checked against the register).',
    });
    now = new Date('2027-03-19T10:00:00Z');
    await press(P.adele, 'recordOutcome', {
      caseId,
      review: 'final',
      progress1: 'fully-met',
      progress2: 'good',
      notes: "Zéphyrine's needs are met; the school carries on with check-ins.",
    });
    const closed = await press(P.adele, 'close', {
      caseId,
      reason: 'needs-met',
      note: `${PUPIL}'s outcomes were met at the final review.`,
    });
    assert.match(textOf(closed), /Case closed: needs met/);

    // Words typed to the bot that it does not understand, naming the pupil, in a 1:1 chat and in the panel's.
    await h.say(P.megan, `where is ${PUPIL}'s case? born 17/03/2016`);
    await h.say(P.alex, 'is this Zephyrine Quillfeather-Ashdown from Oakfield?', 'panel');

    // 7. What others see of it: an admin opens the case; the co-ordinator reads the ledger and the agenda.
    await press(P.isaiah, 'openCase', { caseId });
    const ledgerAt = h.connector.mark();
    await h.say(P.adele, 'budget');
    for (let i = ledgerAt; i < h.connector.mark(); i += 1) sentFor.set(i, 'ledger');
    const agenda = await press(P.adele, 'agenda', {});

    // Everything the bot sent, and every answer it gave.
    const sent: Seen[] = h.connector.sent.map((s, i) => ({
      chat: s.conversationId,
      card: s.activity,
      by: sentFor.get(i) ?? `${s.kind} #${i}`,
    }));
    const all = [...sent, ...answers];
    assert.ok(
      sent.some((s) => s.chat === PANEL_CHAT) &&
        [...sentFor.values()].filter((v) => v === 'reminder').length >= 3,
      'the case reached the panel',
    );

    const directory = fixtureDirectory();
    const c = (await h.bot.store.cases.get(caseId))!.value;
    const problems: string[] = [];
    for (const s of all) {
      const text = JSON.stringify(s.card);
      const personal = found(text);
      if (personal.length === 0) continue;
      const owner = ownerOf(s.chat);
      const person = owner && directory.person(owner.aadObjectId);
      const where = `${owner ? `${owner.name}'s chat` : s.chat} (${s.by})`;
      if (!person) problems.push(`${where}: ${personal.join(', ')}`);
      else if (!maySeeNamed(person, c))
        problems.push(`${where}, who may not see the name: ${personal.join(', ')}`);
      else if (s.by === 'reminder') problems.push(`${where}, a reminder: ${personal.join(', ')}`);
      else if (s.by === 'ledger' || s.card === agenda)
        problems.push(`${where}, ledger or agenda: ${personal.join(', ')}`);
      const inFacts = factsOf(s.card).filter((f) => found(f).length > 0);
      if (inFacts.length) problems.push(`${where}, in facts: ${inFacts.join('; ')}`);
    }
    assert.deepEqual(problems, []);

    // The scan can see: the school's confirmation names the pupil, and the co-ordinator's own case card shows the name
    // and the school's words as written.
    for (const what of ['first name', 'surname']) assert.ok(found(textOf(submitted)).includes(what), what);
    assert.deepEqual(
      found(JSON.stringify(opened)).sort(),
      [
        'date of birth (ISO)',
        'date of birth (dd/mm/yyyy)',
        'date of birth (in words)',
        'first name',
        'surname',
      ].sort(),
    );

    // No log line holds any of it, nor names anyone: people appear by their directory id only.
    const leaks = h.logs.filter((line) => found(line).length > 0);
    assert.deepEqual(leaks, []);
    const staff = directory.people.flatMap((p) => [p.name, p.email]);
    assert.deepEqual(
      h.logs.filter((line) => staff.some((n) => line.toLowerCase().includes(n.toLowerCase()))),
      [],
    );

    // Every line logged after start-up came from an activity or a reminder run, and carries its correlation id.
    const lines = h.logs.slice(startLines).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.length > 20);
    assert.deepEqual(
      lines.filter((l) => typeof l.correlationId !== 'string'),
      [],
    );
    // One activity's lines share one id; another activity, or a sweep, has its own.
    const idOf = (msg: string, match: (l: Record<string, unknown>) => boolean = () => true) =>
      lines.find((l) => l.msg === msg && match(l))?.correlationId;
    const submitAction = lines.filter((l) => l.msg === 'card action' && l.verb === 'submitRequest').at(-1);
    assert.equal(idOf('request submitted'), submitAction?.correlationId);
    assert.equal(
      idOf('panel decided'),
      lines.filter((l) => l.msg === 'card action' && l.verb === 'vote').at(-1)?.correlationId,
    );
    const sweepIds = new Set(lines.filter((l) => l.msg === 'reminder sweep').map((l) => l.correlationId));
    assert.equal(sweepIds.size, 4, 'each reminder run has its own id');
    const actionIds = lines.filter((l) => l.msg === 'card action').map((l) => l.correlationId);
    assert.equal(actionIds.length, answers.length, 'one line per press');
    assert.equal(new Set(actionIds).size, actionIds.length, 'each press has its own id');
    assert.ok(!sweepIds.has(submitAction?.correlationId));
  });
});
