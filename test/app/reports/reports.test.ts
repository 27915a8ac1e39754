// Impact reports, through the real bot: who may run which report (from the directory, never from the card), what a
// school's own report leaves out, and the CSV export's link: only in the asker's chat, only for the asker's press,
// unguessable, and gone after 15 minutes. The figures themselves are the report computation's tests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  P,
  button,
  buttonsOf,
  startHarness,
  textOf,
  type Harness,
  type TestPerson,
} from '../../support/harness';

const JONI: TestPerson = { aadObjectId: '00000000-0000-0000-0000-0000000000031', name: 'Joni Sherman' };
const PAT: TestPerson = { aadObjectId: '00000000-0000-0000-0000-0000000000034', name: 'Pat Panel' };

const CLASS_REQUEST = {
  kind: 'class',
  className: '4B',
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'Zones of regulation.',
  asked: 'Whole-class support.',
};

/** The fixture directory with a Brookside SENCo and a panel member who is neither head nor SENCo. */
function directoryFile(): string {
  const fixture = path.join(__dirname, '..', '..', 'fixtures', 'directory.json');
  const raw = JSON.parse(fs.readFileSync(fixture, 'utf8')) as { people: object[] };
  raw.people.push(
    { ...JONI, email: 'jonis@example.com', roles: ['senco'], schoolId: 'brookside-primary' },
    { ...PAT, email: 'patp@example.com', roles: ['panel'], schoolId: 'hillcrest-academy' },
  );
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eip-report-dir-')), 'directory.json');
  fs.writeFileSync(file, JSON.stringify(raw));
  return file;
}

/** The URL an export card's Download button opens. */
function downloadUrl(card: Record<string, unknown>): string {
  const open = (card.actions as { type: string; url?: string }[] | undefined)?.find(
    (a) => a.type === 'Action.OpenUrl',
  );
  if (!open?.url) throw new Error(`no download link on: ${textOf(card)}`);
  return open.url;
}

const OTHER_SCHOOLS = /Brookside|Hillcrest|Riverside/;

describe('impact reports', () => {
  let h: Harness;
  let clock: Date;
  let dirFile: string;
  let oakfieldRef: string;
  let brooksideRef: string;

  before(async () => {
    dirFile = directoryFile();
    clock = new Date('2026-11-27T10:00:00Z');
    h = await startHarness({ directory: dirFile, now: () => clock });
    for (const p of [P.megan, P.adele, P.alex, P.isaiah, JONI, PAT]) await h.say(p, 'hello');
    const refOf = (card: Record<string, unknown>) => /EIP-\d{4}-\d{4}/.exec(textOf(card))?.[0] ?? '';
    oakfieldRef = refOf(await h.press(P.megan, 'submitRequest', CLASS_REQUEST));
    brooksideRef = refOf(await h.press(JONI, 'submitRequest', CLASS_REQUEST));
    assert.ok(oakfieldRef && brooksideRef && oakfieldRef !== brooksideRef);
  });
  after(async () => {
    await h?.stop();
    fs.rmSync(path.dirname(dirFile), { recursive: true, force: true });
  });

  /** Runs a report from the filter card's inputs; answers the report card. */
  const run = (p: TestPerson, data: Record<string, unknown> = { year: '2026-27' }) =>
    h.press(p, 'report', data);

  /** Exports a report card's CSV; answers the export card. */
  const exportOf = (p: TestPerson, reportCard: Record<string, unknown>) =>
    h.press(p, 'reportCsv', button(reportCard, 'Export CSV').data);

  async function download(url: string) {
    const res = await fetch(url);
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  describe('opening a report', () => {
    it('offers Report on the menu to the co-ordinator, an admin, a SENCo and a head, and not to a panel-only member', async () => {
      for (const p of [P.adele, P.isaiah, P.megan, P.alex]) {
        const [menu] = await h.say(p, 'help');
        assert.equal(button(menu, 'Report').verb, 'reportForm', p.name);
      }
      const [panelMenu] = await h.say(PAT, 'help');
      assert.ok(!buttonsOf(panelMenu).some((b) => b.title === 'Report'));
    });

    it('answers `report` with the filter card, whose school the co-ordinator chooses from every school', async () => {
      const [card] = await h.say(P.adele, 'report');
      assert.equal(button(card, 'Show report').verb, 'report');
      assert.match(JSON.stringify(card), /brookside-primary/);
      assert.match(JSON.stringify(card), /hillcrest-academy/);
    });

    it("offers a SENCo's filter card their own school only", async () => {
      const card = await h.press(P.megan, 'reportForm');
      assert.equal(button(card, 'Show report').verb, 'report');
      // No school to choose: the report is her school's, beside the LA-wide totals; no other school is named.
      assert.match(textOf(card), /your school's figures beside the LA-wide totals/);
      assert.doesNotMatch(JSON.stringify(card), /brookside-primary|hillcrest-academy|riverside-school/);
    });

    it('answers `report` typed in the panel chat with a pointer to the 1:1 chat, and nothing else', async () => {
      const [card] = await h.say(P.adele, 'report', 'panel');
      assert.match(textOf(card), /open only in your 1:1 chat/);
      assert.ok(!buttonsOf(card).some((b) => b.title === 'Show report'));
    });
  });

  describe('who may run which report', () => {
    it("runs the co-ordinator's LA-wide report, with an export and a way back to the filter", async () => {
      const card = await run(P.adele);
      assert.equal(button(card, 'Export CSV').verb, 'reportCsv');
      assert.deepEqual(button(card, 'Change filter').data, { year: '2026-27' });
      const audit = (await h.bot.store.audit.list()).filter((e) => e.action === 'run-report');
      assert.ok(audit.some((e) => e.actor === P.adele.aadObjectId && /all schools/.test(e.detail)));
    });

    it("runs a SENCo's report for their own school even when the card asks for all schools, and shows nothing of another", async () => {
      const card = await run(P.megan, { year: '2026-27', schoolId: '' });
      assert.match(textOf(card), /Oakfield Primary School/);
      assert.doesNotMatch(textOf(card), OTHER_SCHOOLS);
      assert.deepEqual(button(card, 'Change filter').data, { year: '2026-27', schoolId: 'oakfield-primary' });
    });

    it("refuses a SENCo asking for another school's report, shows nothing of it, and audits the refusal", async () => {
      const card = await run(P.megan, { year: '2026-27', schoolId: 'brookside-primary' });
      assert.match(textOf(card), /your own school only/);
      assert.doesNotMatch(textOf(card), OTHER_SCHOOLS);
      assert.ok(!buttonsOf(card).some((b) => b.verb === 'reportCsv'));
      const refused = (await h.bot.store.audit.list()).filter(
        (e) => e.actor === P.megan.aadObjectId && e.action === 'report' && e.outcome === 'refused',
      );
      assert.equal(refused.length, 1);
    });

    it('refuses a panel member who is neither head nor SENCo, and someone not in the directory', async () => {
      const [typed] = await h.say(PAT, 'report');
      assert.match(textOf(typed), /Impact reports are for the EIP co-ordinator/);
      const pressed = await run(PAT);
      assert.match(textOf(pressed), /Impact reports are for the EIP co-ordinator/);
      assert.ok(!buttonsOf(pressed).some((b) => b.verb === 'reportCsv'));
      const [stranger] = await h.say(P.stranger, 'report');
      assert.match(textOf(stranger), /not in the EIP directory/);
    });

    it('refuses a filter naming a school or term the directory does not have, asking again', async () => {
      const card = await run(P.adele, { year: '2026-27', schoolId: 'nowhere-school', term: 'Lent' });
      assert.match(textOf(card), /Choose one of the schools listed/);
      assert.match(textOf(card), /Choose one of the terms listed/);
      assert.equal(button(card, 'Show report').verb, 'report');
    });
  });

  describe('the CSV export', () => {
    it("gives the co-ordinator a link to one CSV of every school's figures and cases, served as a download", async () => {
      const card = await exportOf(P.adele, await run(P.adele));
      const url = downloadUrl(card);
      assert.match(url, new RegExp(`^${h.bot.url}/exports/[A-Za-z0-9_-]{43}$`));
      const { res, bytes } = await download(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.match(
        res.headers.get('content-disposition') ?? '',
        /^attachment; filename="eip-report-2026-27-[\w-]+\.csv"$/,
      );
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      assert.ok(text.includes('\r\n') && !/[^\r]\n/.test(text.replace(/"[^"]*"/g, '')), 'CRLF line ends');
      for (const words of ['Oakfield Primary School', 'Brookside Primary School', oakfieldRef, brooksideRef])
        assert.ok(text.includes(words), words);
    });

    it("gives a SENCo a CSV of their own school's cases, naming no other school", async () => {
      const card = await exportOf(P.megan, await run(P.megan));
      const text = (await download(downloadUrl(card))).bytes.toString('utf8');
      assert.ok(text.includes(oakfieldRef));
      assert.ok(!text.includes(brooksideRef));
      assert.doesNotMatch(text, OTHER_SCHOOLS);
    });

    it('refuses the export to anyone but the person who ran the report, and gives them no link', async () => {
      const report = await run(P.adele);
      for (const other of [P.isaiah, P.alex]) {
        const card = await exportOf(other, report);
        assert.match(textOf(card), /Only the person who ran this report can export it/);
        assert.equal(
          (card.actions as { type: string }[]).filter((a) => a.type === 'Action.OpenUrl').length,
          0,
        );
      }
    });

    it('serves the link for 15 minutes and not a second longer; an unknown token is a plain 404', async () => {
      const url = downloadUrl(await exportOf(P.adele, await run(P.adele)));
      const started = clock;
      try {
        clock = new Date(started.getTime() + 15 * 60_000 - 1000);
        assert.equal((await download(url)).res.status, 200);
        clock = new Date(started.getTime() + 15 * 60_000);
        const gone = await download(url);
        assert.equal(gone.res.status, 404);
        const unknown = await download(url.replace(/[A-Za-z0-9_-]{43}$/, 'A'.repeat(43)));
        assert.equal(unknown.res.status, 404);
        assert.equal(unknown.bytes.toString(), gone.bytes.toString(), 'expired and unknown look the same');
        assert.equal((await download(`${h.bot.url}/exports/..%2Fdirectory.json`)).res.status, 404);
      } finally {
        clock = started;
      }
    });
  });
});
