// What is stored when someone types (or pastes, or a client sends) odd characters: control characters, NUL, ESC,
// right-to-left overrides and zero-width characters are taken out of every answer, and a name that is left with no
// letter is refused with a clear message instead of being stored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseClosure, parseReopen } from '../../src/domain/closure';
import { parseCommission, parseSpend } from '../../src/domain/commissioning';
import { DirectoryError, parseDirectory } from '../../src/domain/directory';
import { EipError, type FieldProblem } from '../../src/domain/errors';
import { parseProvider } from '../../src/domain/providers';
import { parseOutcome } from '../../src/domain/reviews';
import { z } from 'zod';
import { hasLetters, normaliseText } from '../../src/domain/text';
import type { PackageRecord } from '../../src/domain/types';
import {
  parseAnswer,
  parseAssessment,
  parseProposal,
  parseQuestion,
  parseRequest,
  parseVote,
  parseWith,
} from '../../src/domain/validation';

const TODAY = '2026-11-27';

/** Every kind of character that must not be stored, and what each is. */
const NUL = '\u0000';
const ESC = '\u001B';
const BEL = '\u0007';
const DEL = '\u007F';
const CSI = '\u009B'; // a C1 control
const RLO = '\u202E'; // right-to-left override
const PDF = '\u202C'; // pop directional formatting
const LRE = '\u202A';
const RLI = '\u2067'; // right-to-left isolate
const PDI = '\u2069';
const RLM = '\u200F';
const ALM = '\u061C';
const ZWSP = '\u200B';
const ZWNJ = '\u200C';
const ZWJ = '\u200D';
const WJ = '\u2060';
const BOM = '\uFEFF';
const ZERO_WIDTH = ZWSP + ZWNJ + ZWJ + WJ + BOM;
const BIDI = RLO + PDF + LRE + RLI + PDI + RLM + ALM + '\u200E\u202B\u202D\u2066\u2068';

/** Something a person might send with every sort of odd character scattered through it. */
const littered = (s: string) =>
  `${ZWSP}${RLO}${s.slice(0, 3)}${NUL}${ESC}${ZWJ}${s.slice(3)}${BEL}${PDF}${BOM}`;

function problemsOf(fn: () => unknown): FieldProblem[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof EipError, `expected an EipError, got ${String(e)}`);
    assert.equal(e.code, 'invalid_input');
    return e.problems;
  }
  assert.fail('expected the input to be refused');
}

const individual = {
  kind: 'individual',
  pupilName: 'Sam Price',
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'A daily check-in.',
  asked: 'Counselling.',
  consentGivenBy: 'Jo Price (mother)',
  consentDate: '2026-11-20',
  consentMethod: 'in-writing',
};

const classRequest = {
  kind: 'class',
  className: '4B',
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'Zones of regulation.',
  asked: 'Staff training.',
};

describe('cleaning what people type', () => {
  describe('normaliseText', () => {
    it('composes accents, so "Zoë" typed either way is stored the same', () => {
      assert.equal(normaliseText('Zoe\u0308'), 'Zoë');
      assert.equal(normaliseText('Zoe\u0308').length, 3);
      assert.equal(normaliseText('Zoë'), 'Zoë');
    });

    it('takes out C0 and C1 control characters: NUL, ESC, BEL, DEL and the rest', () => {
      assert.equal(normaliseText(`Sam${NUL} Pr${ESC}[31mice${BEL}${DEL}${CSI}`), 'Sam Pr[31mice');
      const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i))
        .filter((c) => c !== '\n' && c !== '\t' && c !== '\r')
        .join('');
      assert.equal(normaliseText(`a${controls}b`), 'ab');
      const c1 = Array.from({ length: 33 }, (_, i) => String.fromCharCode(0x7f + i))
        .filter((c) => c !== '\u0085')
        .join('');
      assert.equal(normaliseText(`a${c1}b`), 'ab');
    });

    it('takes out right-to-left overrides, embeddings, isolates and marks', () => {
      assert.equal(normaliseText(`${RLO}Sam Price${PDF}`), 'Sam Price');
      assert.equal(normaliseText(`Sam${BIDI}Price`), 'SamPrice');
    });

    it('takes out zero-width characters, the word joiner and the byte-order mark', () => {
      assert.equal(normaliseText(`Sa${ZERO_WIDTH}m`), 'Sam');
      assert.equal(normaliseText(ZERO_WIDTH), '');
      assert.equal(normaliseText(`Zeb\u00ADedee`), 'Zebedee', 'a soft hyphen hides inside a word too');
    });

    it('keeps line breaks and tabs in multi-line text, written "\\n"', () => {
      assert.equal(
        normaliseText('Line one\r\nLine two\rLine three\u2028four\tend'),
        'Line one\nLine two\nLine three\nfour\tend',
      );
    });

    it('turns line breaks and tabs into spaces in one-line text', () => {
      assert.equal(normaliseText('Sam\r\nPrice\tJr', { multiline: false }), 'Sam Price Jr');
    });

    it('trims what is left, even when the spaces were behind invisible characters', () => {
      assert.equal(normaliseText(`${ZWSP}  Sam Price \u00A0${BOM}`), 'Sam Price');
    });

    it('replaces half a surrogate pair, which is no character, and keeps whole ones', () => {
      assert.equal(normaliseText('ok\uD83D then'), 'ok\uFFFD then');
      assert.equal(normaliseText('ok \uDE00'), 'ok \uFFFD');
      assert.equal(normaliseText('well done 😀'), 'well done 😀');
    });

    it('keeps letters and punctuation from any script as typed', () => {
      const s = 'Zoë O’Neil-Brontë, 李小龍, محمد, Ådne; “quoted” — 50% £12.50';
      assert.equal(normaliseText(s), s);
    });

    it('changes nothing on a second pass', () => {
      const once = normaliseText(littered(' Some text\r\nover two lines '));
      assert.equal(normaliseText(once), once);
    });

    it('counts a letter that shows, not a digit, symbol or invisible "letter"', () => {
      assert.equal(hasLetters('Sam'), true);
      assert.equal(hasLetters('李'), true);
      assert.equal(hasLetters('12 345'), false);
      assert.equal(hasLetters('-- !! --'), false);
      assert.equal(hasLetters('\u3164\u115F'), false, 'Hangul fillers render as nothing');
    });
  });

  describe("a pupil's name", () => {
    const refusal = (pupilName: string) =>
      problemsOf(() => parseRequest({ ...individual, pupilName }, TODAY)).find(
        (p) => p.field === "Pupil's name",
      )?.message;

    it('is refused when it is only zero-width characters', () => {
      assert.equal(refusal(ZERO_WIDTH), 'The name must contain letters.');
      assert.equal(refusal(ZWSP), 'The name must contain letters.');
    });

    it('is refused when it is only control characters, NUL or ESC', () => {
      assert.equal(refusal(NUL), 'The name must contain letters.');
      assert.equal(refusal(`${ESC}${BEL}${DEL}`), 'The name must contain letters.');
    });

    it('is refused when it is only right-to-left overrides', () => {
      assert.equal(refusal(`${RLO}${PDF}${RLI}`), 'The name must contain letters.');
    });

    it('is refused when it has no letter: digits, punctuation, Hangul fillers', () => {
      assert.equal(refusal('12345'), 'The name must contain letters.');
      assert.equal(refusal('— ? —'), 'The name must contain letters.');
      assert.equal(refusal('\u3164'), 'The name must contain letters.');
    });

    it('is still simply required when left blank', () => {
      assert.equal(refusal('   '), 'This is required.');
      assert.equal(refusal(''), 'This is required.');
    });

    it('is stored without control, override or zero-width characters', () => {
      const r = parseRequest({ ...individual, pupilName: littered('Sam Price') }, TODAY);
      assert.equal(r.request.kind === 'individual' && r.request.pupilName, 'Sam Price');
    });

    it('is stored on one line, composed', () => {
      const r = parseRequest({ ...individual, pupilName: 'Zoe\u0308\nBronte\u0308' }, TODAY);
      assert.equal(r.request.kind === 'individual' && r.request.pupilName, 'Zoë Brontë');
    });

    it('is counted against its limit once cleaned', () => {
      const r = parseRequest({ ...individual, pupilName: `${'a'.repeat(100)}${ZWSP.repeat(50)}` }, TODAY);
      assert.equal(r.request.kind === 'individual' && r.request.pupilName, 'a'.repeat(100));
      assert.equal(refusal('a'.repeat(101)), 'Keep it to 100 characters or fewer.');
    });
  });

  describe('the other names on a request', () => {
    it('refuses a consent-giver named only by invisible characters, and cleans a real one', () => {
      const problems = problemsOf(() =>
        parseRequest({ ...individual, consentGivenBy: `${ZWSP}${RLO}` }, TODAY),
      );
      assert.deepEqual(problems, [{ field: 'Consent given by', message: 'The name must contain letters.' }]);
      const r = parseRequest({ ...individual, consentGivenBy: littered('Jo Price (mother)') }, TODAY);
      assert.equal(r.consent?.givenBy, 'Jo Price (mother)');
    });

    it("refuses a class's name with no letter or digit, and takes a name of digits alone", () => {
      const problems = problemsOf(() => parseRequest({ ...classRequest, className: `${ZWSP}${NUL}` }, TODAY));
      assert.deepEqual(problems, [{ field: 'Class', message: 'The name must contain letters or numbers.' }]);
      assert.deepEqual(
        problemsOf(() => parseRequest({ ...classRequest, className: '!!' }, TODAY)),
        [{ field: 'Class', message: 'The name must contain letters or numbers.' }],
      );
      const six = parseRequest({ ...classRequest, className: `6${ZWSP}` }, TODAY).request;
      assert.equal(six.kind === 'class' && six.className, '6');
    });

    it('leaves a blank class name out, as before', () => {
      const r = parseRequest({ ...classRequest, className: ' ' }, TODAY).request;
      assert.equal(r.kind === 'class' && 'className' in r, false);
    });
  });

  describe('free text in every form', () => {
    const messy = `${RLO}First line${NUL}${ESC}\r\nsecond${ZWSP} line\twith a tab${PDF}${BOM}`;
    const clean = 'First line\nsecond line\twith a tab';

    it('keeps line breaks and tabs in a request, but nothing else odd', () => {
      const r = parseRequest({ ...individual, tried: messy, asked: messy }, TODAY);
      assert.equal(r.request.tried, clean);
      assert.equal(r.request.asked, clean);
    });

    it('treats a required answer of only invisible characters as blank', () => {
      const problems = problemsOf(() => parseRequest({ ...individual, tried: ZERO_WIDTH + BIDI }, TODAY));
      assert.deepEqual(problems, [
        { field: 'What the school has tried already', message: 'This is required.' },
      ]);
    });

    it('cleans the question for the school and its answer', () => {
      assert.equal(parseQuestion({ question: messy }), clean);
      assert.equal(parseAnswer({ answer: messy }), clean);
    });

    it('cleans the assessment', () => {
      const a = parseAssessment({ observedOn: TODAY, findings: messy, needsIdentified: messy }, TODAY, TODAY);
      assert.equal(a.findings, clean);
      assert.equal(a.needsIdentified, clean);
    });

    it("cleans a proposal's case and another provider's name, and refuses a name with nothing in it", () => {
      const proposal = {
        service1: 'counselling@other',
        otherProvider1: littered('Place2Be'),
        sessions1: '10',
        unitCost1: '45.50',
        rationale: messy,
        outcomes: messy,
        reviewDate: '2027-03-01',
      };
      const p = parseProposal(proposal, TODAY, []);
      assert.equal(p.rationale, clean);
      assert.equal(p.outcomes, clean);
      assert.equal(p.interventions[0]?.provider, 'Place2Be');
      assert.deepEqual(
        problemsOf(() => parseProposal({ ...proposal, otherProvider1: ZWSP }, TODAY, [])),
        [
          {
            field: "Intervention 1: another provider's name",
            message: 'The name must contain letters or numbers.',
          },
        ],
      );
    });

    it("cleans a panel member's comment, and asks for a reason when the comment is only invisible", () => {
      assert.deepEqual(parseVote({ choice: 'decline', comment: messy }), {
        choice: 'decline',
        comment: clean,
      });
      assert.deepEqual(
        problemsOf(() => parseVote({ choice: 'decline', comment: ZERO_WIDTH })),
        [{ field: 'Comment', message: 'Say why, so the co-ordinator knows what to change.' }],
      );
    });

    it('cleans even a field a form reads without the shared parsers', () => {
      const v = parseWith(
        z.object({ note: z.string(), list: z.array(z.string()) }),
        {
          note: messy,
          list: [littered('one')],
        },
        {},
      );
      assert.deepEqual(v, { note: clean, list: ['one'] });
    });

    it('reads a choice sent with invisible characters around it as the choice', () => {
      assert.equal(parseVote({ choice: `${ZWSP}approve${BOM}` }).choice, 'approve');
    });

    it('cleans closing and reopening notes', () => {
      assert.deepEqual(parseClosure({ reason: 'needs-met', note: messy }), {
        reason: 'needs-met',
        note: clean,
      });
      assert.deepEqual(parseReopen({ reason: messy }), { reason: clean });
    });

    it("cleans a provider's name and contact from the provider form", () => {
      const p = parseProvider({
        name: littered('Oakwood Counselling'),
        services: 'counselling',
        rate: '45',
        rateUnit: 'session',
        contact: littered('referrals@oakwood.example'),
      });
      assert.equal(p.name, 'Oakwood Counselling');
      assert.equal(p.contact, 'referrals@oakwood.example');
    });

    it("cleans an outcome review's measure and notes", () => {
      const o = parseOutcome({ measure: littered('SDQ'), baseline: '20', notes: messy, progress1: 'some' }, [
        'Fewer outbursts',
      ]);
      assert.equal(o.measure, 'SDQ');
      assert.equal(o.notes, clean);
    });

    it("cleans a commissioned package's other provider and the reasons given for spend", () => {
      const [pkg] = parseCommission(
        {
          provider1: 'other',
          otherProvider1: littered('Place2Be'),
          start1: '2026-12-01',
          end1: '2027-02-01',
          cost1: '450',
        },
        [{ type: 'counselling', provider: 'Place2Be', sessions: 10, unitCostPence: 4500 }],
        [],
        TODAY,
        '2027-03-01',
      );
      assert.equal(pkg?.providerName, 'Place2Be');
      const packages = [
        { id: 'p1', startDate: '2026-11-01', endDate: '2027-02-01', agreedPence: 10000 } as PackageRecord,
      ];
      const s = parseSpend(
        {
          packageId: 'p1',
          invoiceRef: littered('INV-001'),
          amount: '200',
          sessionsDelivered: '2',
          deliveredOn: '2026-11-20',
          overReason: messy,
        },
        packages,
        () => 0,
        TODAY,
      );
      assert.equal(s.invoiceRef, 'INV-001');
      assert.equal(s.overReason, clean);
    });
  });

  describe('the directory file', () => {
    const fixture = () =>
      JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/directory.json'), 'utf8')) as {
        schools: { id: string; name: string }[];
        people: { aadObjectId: string; name: string }[];
      };

    it("cleans people's and schools' names", () => {
      const raw = fixture();
      raw.people[0]!.name = littered('Megan Bowen');
      raw.schools[0]!.name = `${RLO}Oakfield Primary School${PDF}`;
      const d = parseDirectory(raw);
      assert.equal(d.person(raw.people[0]!.aadObjectId)?.name, 'Megan Bowen');
      assert.equal(d.schoolName(raw.schools[0]!.id), 'Oakfield Primary School');
    });

    it('refuses a person named only by invisible characters, or with no letter, naming the entry', () => {
      const raw = fixture();
      raw.people[1]!.name = ZERO_WIDTH;
      assert.throws(
        () => parseDirectory(raw),
        (e: unknown) => {
          assert.ok(e instanceof DirectoryError);
          assert.match(e.message, /people\[1\].*name.* is required/);
          return true;
        },
      );
      raw.people[1]!.name = '007';
      assert.throws(() => parseDirectory(raw), /people\[1\].*name.* must contain letters/);
    });
  });
});
