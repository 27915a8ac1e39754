// What a person typing into a card gets back: typed values when the answers are good, and a clear message naming
// each field by its card label when they are not.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { addDays, daysBetween, isIsoDate, londonDate, londonYear, showDate } from '../../src/domain/dates';
import { DirectoryError, parseDirectory, parseDirectoryRows } from '../../src/domain/directory';
import { EipError, type FieldProblem } from '../../src/domain/errors';
import { formatPence, parsePounds } from '../../src/domain/money';
import { redactName } from '../../src/domain/pseudonymise';
import type { ProviderRecord } from '../../src/domain/types';
import {
  LIMITS,
  parseAcceptance,
  parseAnswer,
  parseAssessment,
  parseProposal,
  parseQuestion,
  parseRequest,
  parseVote,
} from '../../src/domain/validation';

const TODAY = '2026-11-27';

/** Runs a parser that should refuse the input; answers the problems it reported. */
function problemsOf(fn: () => unknown): FieldProblem[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof EipError, `expected an EipError, got ${String(e)}`);
    assert.equal(e.code, 'invalid_input');
    assert.equal(e.title, 'Some answers need another look.');
    return e.problems;
  }
  assert.fail('expected the input to be refused');
}

/** The message shown beside one field, failing if the field was not named. */
function messageFor(problems: FieldProblem[], field: string): string {
  const p = problems.find((x) => x.field === field);
  assert.ok(p, `expected a problem for "${field}", got ${JSON.stringify(problems)}`);
  return p.message;
}

const fieldsOf = (problems: FieldProblem[]) => problems.map((p) => p.field);

const individual = {
  kind: 'individual',
  pupilName: 'Sam Price',
  yearGroup: 'Year 4',
  needs: 'semh,communication',
  tried: 'A daily check-in with a TA and a calm corner since September.',
  asked: 'Counselling and advice on classroom strategies.',
  consentGivenBy: 'Jo Price (mother)',
  consentDate: '2026-11-20',
  consentMethod: 'in-writing',
};

const wholeClass = {
  kind: 'class',
  className: '4B',
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'Zones of regulation for a term.',
  asked: 'Whole-class support and staff training.',
};

const proposal = {
  service1: 'counselling@other',
  otherProvider1: 'Place2Be',
  sessions1: '10',
  unitCost1: '45.50',
  rationale: 'Counselling addresses the anxiety seen in the observation.',
  outcomes: 'Fewer outbursts; back in class after lunch.',
  reviewDate: '2027-03-01',
};

const provider = (p: Partial<ProviderRecord> & Pick<ProviderRecord, 'id' | 'name'>): ProviderRecord => ({
  services: ['counselling'],
  ratePence: 4500,
  rateUnit: 'session',
  contact: 'c@example.org',
  active: true,
  updatedBy: 'directory',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...p,
});

/** The provider directory a proposal is checked against. */
const PROVIDERS: ProviderRecord[] = [
  provider({
    id: 'oakwood-counselling',
    name: 'Oakwood Counselling Service',
    services: ['counselling', 'play-therapy'],
  }),
  provider({
    id: 'county-ep-service',
    name: 'County Educational Psychology Service',
    services: ['educational-psychology'],
    ratePence: 55000,
    rateUnit: 'day',
  }),
  provider({ id: 'closed-down', name: 'Closed Down Ltd', services: ['mentoring'], active: false }),
];

describe('validation', () => {
  describe('a request for support', () => {
    it('accepts an individual request with consent, returning the request and the consent', () => {
      const r = parseRequest(individual, TODAY);
      assert.deepEqual(r, {
        request: {
          kind: 'individual',
          pupilName: 'Sam Price',
          yearGroup: 'Year 4',
          needs: ['semh', 'communication'],
          tried: individual.tried,
          asked: individual.asked,
        },
        consent: { givenBy: 'Jo Price (mother)', date: '2026-11-20', method: 'in-writing' },
      });
    });

    it('trims spaces around answers and drops repeated needs', () => {
      const r = parseRequest(
        { ...individual, pupilName: '  Sam Price ', needs: 'semh, semh ,communication' },
        TODAY,
      );
      assert.equal(r.request.pupilName, 'Sam Price');
      assert.deepEqual(r.request.needs, ['semh', 'communication']);
    });

    it('accepts consent given today', () => {
      assert.equal(parseRequest({ ...individual, consentDate: TODAY }, TODAY).consent?.date, TODAY);
    });

    it('refuses an individual request without parental consent', () => {
      const { consentGivenBy: _g, consentDate: _d, consentMethod: _m, ...noConsent } = individual;
      const problems = problemsOf(() => parseRequest(noConsent, TODAY));
      assert.deepEqual(fieldsOf(problems), [
        'Consent given by',
        'Date consent given',
        'How consent was given',
      ]);
      assert.match(messageFor(problems, 'Consent given by'), /parental consent/i);
      assert.match(messageFor(problems, 'Consent given by'), /cannot be submitted/);
    });

    it('refuses an individual request whose consent fields were left blank', () => {
      const problems = problemsOf(() =>
        parseRequest({ ...individual, consentGivenBy: '   ', consentDate: '', consentMethod: '' }, TODAY),
      );
      assert.match(messageFor(problems, 'Consent given by'), /parental consent/i);
      assert.equal(messageFor(problems, 'Date consent given'), 'Choose a date.');
      assert.equal(messageFor(problems, 'How consent was given'), 'Choose how consent was given.');
    });

    it('refuses consent dated in the future', () => {
      const problems = problemsOf(() => parseRequest({ ...individual, consentDate: '2026-11-28' }, TODAY));
      assert.deepEqual(problems, [
        { field: 'Date consent given', message: 'The date consent was given cannot be in the future.' },
      ]);
    });

    for (const consentDate of ['1900-01-01', '2025-11-26']) {
      it(`refuses consent dated ${consentDate}, more than a year ago, saying to confirm it again`, () => {
        const problems = problemsOf(() => parseRequest({ ...individual, consentDate }, TODAY));
        assert.deepEqual(fieldsOf(problems), ['Date consent given']);
        assert.match(
          messageFor(problems, 'Date consent given'),
          /last 12 months.*confirm it with the family/,
        );
      });
    }

    it('accepts consent given exactly a year ago', () => {
      assert.equal(
        parseRequest({ ...individual, consentDate: '2025-11-27' }, TODAY).consent?.date,
        '2025-11-27',
      );
    });

    it('refuses an impossible consent date such as 30 February', () => {
      const problems = problemsOf(() => parseRequest({ ...individual, consentDate: '2026-02-30' }, TODAY));
      assert.deepEqual(problems, [{ field: 'Date consent given', message: 'Choose a date.' }]);
    });

    it('refuses a consent method that is not on the list', () => {
      const problems = problemsOf(() =>
        parseRequest({ ...individual, consentMethod: 'carrier-pigeon' }, TODAY),
      );
      assert.deepEqual(problems, [
        { field: 'How consent was given', message: 'Choose how consent was given.' },
      ]);
    });

    it("names the pupil's name field when it is missing", () => {
      const { pupilName: _n, ...noName } = individual;
      const problems = problemsOf(() => parseRequest(noName, TODAY));
      assert.deepEqual(fieldsOf(problems), ["Pupil's name"]);
    });

    it('names every missing field of an empty request, by its card label', () => {
      const problems = problemsOf(() => parseRequest(undefined, TODAY));
      assert.deepEqual(fieldsOf(problems), [
        "Pupil's name",
        'Year group',
        'Needs areas',
        'What the school has tried already',
        'What the school is asking for',
        'Consent given by',
        'Date consent given',
        'How consent was given',
      ]);
    });

    it("refuses a pupil's name over the limit", () => {
      const problems = problemsOf(() =>
        parseRequest({ ...individual, pupilName: 'x'.repeat(LIMITS.name + 1) }, TODAY),
      );
      assert.deepEqual(problems, [{ field: "Pupil's name", message: 'Keep it to 100 characters or fewer.' }]);
    });

    it('accepts answers exactly at the limit', () => {
      const r = parseRequest({ ...individual, tried: 't'.repeat(LIMITS.text) }, TODAY);
      assert.equal(r.request.tried.length, LIMITS.text);
    });

    it('refuses what the school has tried when it runs over the limit', () => {
      const problems = problemsOf(() =>
        parseRequest({ ...individual, tried: 't'.repeat(LIMITS.text + 1) }, TODAY),
      );
      assert.deepEqual(problems, [
        { field: 'What the school has tried already', message: 'Keep it to 2000 characters or fewer.' },
      ]);
    });

    it('refuses a year group that is not on the list', () => {
      const problems = problemsOf(() => parseRequest({ ...individual, yearGroup: 'Year 14' }, TODAY));
      assert.deepEqual(problems, [{ field: 'Year group', message: 'Choose a year group.' }]);
    });

    it('refuses needs given as "semh,bogus"', () => {
      const problems = problemsOf(() => parseRequest({ ...individual, needs: 'semh,bogus' }, TODAY));
      assert.deepEqual(problems, [{ field: 'Needs areas', message: 'Choose from the list of needs areas.' }]);
    });

    it('refuses a request with no needs area chosen', () => {
      const problems = problemsOf(() => parseRequest({ ...individual, needs: '' }, TODAY));
      assert.deepEqual(problems, [{ field: 'Needs areas', message: 'Choose at least one needs area.' }]);
    });

    it('accepts a whole-class request with no consent', () => {
      const r = parseRequest(wholeClass, TODAY);
      assert.deepEqual(r, {
        request: {
          kind: 'class',
          className: '4B',
          yearGroup: 'Year 4',
          needs: ['semh'],
          tried: wholeClass.tried,
          asked: wholeClass.asked,
        },
      });
      assert.equal(r.consent, undefined);
    });

    it('accepts a whole-class request with the class left blank', () => {
      const r = parseRequest({ ...wholeClass, className: '' }, TODAY);
      assert.equal('className' in r.request, false);
    });

    it("keeps no pupil's name on a whole-class request, even if one is sent", () => {
      const r = parseRequest({ ...wholeClass, pupilName: 'Sam Price' }, TODAY);
      assert.equal(JSON.stringify(r).includes('Sam'), false);
    });

    it('treats a request of unknown kind as individual casework, so it still needs consent', () => {
      const problems = problemsOf(() => parseRequest({ ...wholeClass, kind: 'bogus' }, TODAY));
      assert.ok(fieldsOf(problems).includes('Consent given by'));
      assert.ok(fieldsOf(problems).includes("Pupil's name"));
    });
  });

  describe('a question and an answer', () => {
    it('returns the question, trimmed', () => {
      assert.equal(
        parseQuestion({ question: '  How often are the outbursts?  ' }),
        'How often are the outbursts?',
      );
    });

    it('refuses an empty question, naming the field', () => {
      assert.deepEqual(fieldsOf(problemsOf(() => parseQuestion({ question: '' }))), [
        'Your question for the school',
      ]);
      assert.deepEqual(fieldsOf(problemsOf(() => parseQuestion({}))), ['Your question for the school']);
    });

    it('refuses a question over the limit', () => {
      const problems = problemsOf(() => parseQuestion({ question: 'q'.repeat(LIMITS.comment + 1) }));
      assert.deepEqual(problems, [
        { field: 'Your question for the school', message: 'Keep it to 1000 characters or fewer.' },
      ]);
    });

    it('returns the answer', () => {
      assert.equal(parseAnswer({ answer: 'Two or three times a week.' }), 'Two or three times a week.');
    });

    it('refuses a blank answer and an answer over the limit', () => {
      assert.deepEqual(
        problemsOf(() => parseAnswer({ answer: '   ' })),
        [{ field: 'Your answer', message: 'This is required.' }],
      );
      assert.deepEqual(
        problemsOf(() => parseAnswer({ answer: 'a'.repeat(LIMITS.text + 1) })),
        [{ field: 'Your answer', message: 'Keep it to 2000 characters or fewer.' }],
      );
    });
  });

  describe('accepting a request', () => {
    it('accepts an observation planned for today or within a year', () => {
      assert.deepEqual(parseAcceptance({ observationDate: TODAY }, TODAY), { observationDate: TODAY });
      assert.deepEqual(parseAcceptance({ observationDate: '2027-11-26' }, TODAY), {
        observationDate: '2027-11-26',
      });
    });

    it('refuses an observation planned for a weekend, when there is no class to observe', () => {
      assert.deepEqual(
        problemsOf(() => parseAcceptance({ observationDate: '2026-11-28' }, TODAY)),
        [
          {
            field: 'Planned observation date',
            message: 'Choose a school day, Monday to Friday: the observation is in class.',
          },
        ],
      );
    });

    it('refuses an observation date in the past', () => {
      assert.deepEqual(
        problemsOf(() => parseAcceptance({ observationDate: '2026-11-26' }, TODAY)),
        [{ field: 'Planned observation date', message: 'The observation date cannot be in the past.' }],
      );
    });

    it('refuses an observation more than a year ahead', () => {
      assert.deepEqual(
        problemsOf(() => parseAcceptance({ observationDate: '2027-11-28' }, TODAY)),
        [{ field: 'Planned observation date', message: 'Plan the observation within the next year.' }],
      );
    });

    it('refuses an impossible or missing date', () => {
      for (const observationDate of ['2027-02-30', '2026-13-01', '02/12/2026', '', undefined]) {
        assert.deepEqual(
          problemsOf(() => parseAcceptance({ observationDate }, TODAY)),
          [{ field: 'Planned observation date', message: 'Choose a date.' }],
          String(observationDate),
        );
      }
    });
  });

  describe('recording an assessment', () => {
    const good = {
      observedOn: '2026-11-25',
      findings: 'Anxious after lunch.',
      needsIdentified: 'SEMH: anxiety.',
    };

    it('returns the observation and findings', () => {
      assert.deepEqual(parseAssessment(good, TODAY, '2026-11-20'), good);
    });

    it('refuses an observation dated in the future', () => {
      assert.deepEqual(
        problemsOf(() => parseAssessment({ ...good, observedOn: '2026-11-28' }, TODAY, '2026-11-20')),
        [{ field: 'Date observed', message: 'The observation date cannot be in the future.' }],
      );
    });

    it('refuses an observation before the request was raised', () => {
      assert.deepEqual(
        problemsOf(() => parseAssessment({ ...good, observedOn: '2026-11-19' }, TODAY, '2026-11-20')),
        [{ field: 'Date observed', message: 'The observation cannot be before the request was raised.' }],
      );
    });

    it('refuses findings over the limit and missing needs, naming both', () => {
      const problems = problemsOf(() =>
        parseAssessment(
          { ...good, findings: 'f'.repeat(LIMITS.longText + 1), needsIdentified: '' },
          TODAY,
          '2026-11-20',
        ),
      );
      assert.equal(
        messageFor(problems, 'Findings from the observation'),
        'Keep it to 4000 characters or fewer.',
      );
      assert.equal(messageFor(problems, 'Needs identified'), 'This is required.');
    });
  });

  describe('a proposal for the panel', () => {
    const parse = (input: unknown) => parseProposal(input, TODAY, PROVIDERS);

    it('reads money in pounds into pence and totals the interventions', () => {
      const p = parse({
        ...proposal,
        service2: 'mentoring@other',
        otherProvider2: 'Mentor Co',
        sessions2: '4',
        unitCost2: '£1,200',
      });
      assert.deepEqual(p.interventions, [
        { type: 'counselling', provider: 'Place2Be', sessions: 10, unitCostPence: 4550 },
        { type: 'mentoring', provider: 'Mentor Co', sessions: 4, unitCostPence: 120000 },
      ]);
      assert.equal(p.totalPence, 10 * 4550 + 4 * 120000);
      assert.equal(p.rationale, proposal.rationale);
      assert.equal(p.outcomes, proposal.outcomes);
      assert.equal(p.reviewDate, '2027-03-01');
    });

    it("takes a directory provider's name and rate from the directory, whatever name and cost the card sends", () => {
      const p = parse({
        ...proposal,
        service1: 'educational-psychology@county-ep-service',
        otherProvider1: 'Somebody Else',
        sessions1: '3',
        unitCost1: '1',
      });
      assert.deepEqual(p.interventions, [
        {
          type: 'educational-psychology',
          provider: 'County Educational Psychology Service',
          providerId: 'county-ep-service',
          sessions: 3,
          unitCostPence: 55000,
          unit: 'day',
        },
      ]);
      assert.equal(p.totalPence, 3 * 55000);
    });

    it('refuses a directory provider for a service it does not offer, naming both', () => {
      assert.deepEqual(
        problemsOf(() => parse({ ...proposal, service1: 'mentoring@oakwood-counselling' })),
        [
          {
            field: 'Intervention 1: service and provider',
            message: 'Oakwood Counselling Service does not offer mentoring. Choose a provider that does.',
          },
        ],
      );
    });

    it('refuses an inactive provider, saying it is no longer active', () => {
      assert.deepEqual(
        problemsOf(() => parse({ ...proposal, service1: 'mentoring@closed-down' })),
        [
          {
            field: 'Intervention 1: service and provider',
            message:
              'Closed Down Ltd is no longer active in the provider directory. Choose another provider.',
          },
        ],
      );
    });

    it('refuses a provider that is not in the directory', () => {
      const problems = problemsOf(() => parse({ ...proposal, service1: 'counselling@made-up' }));
      assert.deepEqual(fieldsOf(problems), ['Intervention 1: service and provider']);
      assert.match(messageFor(problems, 'Intervention 1: service and provider'), /not in the directory/);
    });

    for (const service1 of ['astrology@other', 'counselling', 'counselling@', 'a@b@c']) {
      it(`refuses a service choice of ${JSON.stringify(service1)}`, () => {
        assert.deepEqual(
          problemsOf(() => parse({ ...proposal, service1 })),
          [
            {
              field: 'Intervention 1: service and provider',
              message: 'Choose a service and provider from the list.',
            },
          ],
        );
      });
    }

    it('needs a name and a cost for another provider', () => {
      const problems = problemsOf(() => parse({ ...proposal, otherProvider1: '  ', unitCost1: undefined }));
      assert.deepEqual(problems, [
        {
          field: "Intervention 1: another provider's name",
          message: 'Name the provider, as it is not in the directory.',
        },
        {
          field: 'Intervention 1: cost per session or day',
          message: 'Enter the cost per session or day in pounds.',
        },
      ]);
    });

    it("refuses another provider's name over the limit", () => {
      assert.deepEqual(
        problemsOf(() => parse({ ...proposal, otherProvider1: 'p'.repeat(LIMITS.name + 1) })),
        [
          {
            field: "Intervention 1: another provider's name",
            message: 'Keep it to 100 characters or fewer.',
          },
        ],
      );
    });

    it('skips optional intervention rows left wholly blank', () => {
      const p = parse({
        ...proposal,
        service2: '',
        otherProvider2: ' ',
        sessions2: '',
        unitCost2: '',
        service3: undefined,
      });
      assert.equal(p.interventions.length, 1);
      assert.equal(p.totalPence, 45500);
    });

    it('accepts sessions and cost sent as numbers', () => {
      const p = parse({ ...proposal, sessions1: 6, unitCost1: 45.5 });
      assert.deepEqual(p.interventions[0], {
        type: 'counselling',
        provider: 'Place2Be',
        sessions: 6,
        unitCostPence: 4550,
      });
    });

    it('asks for the rest of an optional row that was started', () => {
      const problems = problemsOf(() => parse({ ...proposal, service2: 'mentoring@other' }));
      assert.deepEqual(fieldsOf(problems), [
        "Intervention 2: another provider's name",
        'Intervention 2: sessions',
        'Intervention 2: cost per session or day',
      ]);
      assert.deepEqual(fieldsOf(problemsOf(() => parse({ ...proposal, sessions2: '3' }))), [
        'Intervention 2: service and provider',
      ]);
    });

    it('requires the first intervention', () => {
      const { service1: _s1, otherProvider1: _p, sessions1: _s, unitCost1: _u, ...none } = proposal;
      const problems = problemsOf(() => parse(none));
      assert.deepEqual(problems, [
        { field: 'Intervention 1: service and provider', message: 'Choose a service and provider.' },
        { field: 'Intervention 1: sessions', message: 'Enter the number of sessions.' },
      ]);
    });

    for (const sessions1 of ['0', '201', '1.5', '-3', 'ten', 0, 1.5]) {
      it(`refuses ${JSON.stringify(sessions1)} sessions`, () => {
        assert.deepEqual(
          problemsOf(() => parse({ ...proposal, sessions1 })),
          [{ field: 'Intervention 1: sessions', message: 'Enter a whole number of sessions from 1 to 200.' }],
        );
      });
    }

    it('accepts 1 and 200 sessions', () => {
      assert.equal(parse({ ...proposal, sessions1: '1' }).interventions[0]?.sessions, 1);
      assert.equal(parse({ ...proposal, sessions1: '200' }).interventions[0]?.sessions, 200);
    });

    const costRefusals: [string | number, RegExp][] = [
      ['abc', /for example 45\.50/],
      ['45.555', /no more than two decimal places/],
      ['45,50', /for example 45\.50/],
      ['-5', /cannot be negative/],
      [-5, /cannot be negative/],
      ['0', /must be more than £0/],
      [0, /must be more than £0/],
      ['100000.01', /at most £100,000\.00/],
      ['', /Enter the cost per session or day/],
    ];
    for (const [unitCost1, why] of costRefusals) {
      it(`refuses another provider's cost of ${JSON.stringify(unitCost1)}, saying why`, () => {
        const problems = problemsOf(() => parse({ ...proposal, unitCost1 }));
        assert.deepEqual(fieldsOf(problems), ['Intervention 1: cost per session or day']);
        assert.match(messageFor(problems, 'Intervention 1: cost per session or day'), why);
      });
    }

    it('accepts a cost per session of £100,000, the most allowed', () => {
      assert.equal(parse({ ...proposal, unitCost1: '£100,000' }).interventions[0]?.unitCostPence, 100_000_00);
    });

    it('refuses a review date of today or earlier', () => {
      for (const reviewDate of [TODAY, '2026-01-01']) {
        assert.deepEqual(
          problemsOf(() => parse({ ...proposal, reviewDate })),
          [{ field: 'Review date', message: 'The review date must be after today.' }],
        );
      }
    });

    it('refuses a review date more than 18 months ahead', () => {
      assert.deepEqual(
        problemsOf(() => parse({ ...proposal, reviewDate: addDays(TODAY, 551) })),
        [{ field: 'Review date', message: 'Set a review date within 18 months.' }],
      );
    });

    it('refuses an impossible review date', () => {
      assert.deepEqual(
        problemsOf(() => parse({ ...proposal, reviewDate: '2027-02-29' })),
        [{ field: 'Review date', message: 'Choose a date.' }],
      );
    });

    it('refuses a rationale over the limit', () => {
      assert.deepEqual(
        problemsOf(() => parse({ ...proposal, rationale: 'r'.repeat(LIMITS.text + 1) })),
        [{ field: 'Rationale', message: 'Keep it to 2000 characters or fewer.' }],
      );
    });
  });

  describe('a panel vote', () => {
    it('accepts approval without a comment', () => {
      assert.deepEqual(parseVote({ choice: 'approve' }), { choice: 'approve', comment: '' });
    });

    it('keeps the comment given with a vote', () => {
      assert.deepEqual(parseVote({ choice: 'decline', comment: ' Cost too high. ' }), {
        choice: 'decline',
        comment: 'Cost too high.',
      });
    });

    for (const choice of ['decline', 'changes']) {
      it(`requires a comment to ${choice === 'decline' ? 'decline' : 'request changes'}`, () => {
        for (const comment of [undefined, '', '   ']) {
          assert.deepEqual(
            problemsOf(() => parseVote({ choice, comment })),
            [{ field: 'Comment', message: 'Say why, so the co-ordinator knows what to change.' }],
          );
        }
      });
    }

    it('refuses a vote that is not approve, decline or changes', () => {
      assert.deepEqual(
        problemsOf(() => parseVote({ choice: 'abstain', comment: 'x' })),
        [{ field: 'Vote', message: 'Choose approve, decline or request changes.' }],
      );
    });

    it('refuses a comment over the limit', () => {
      assert.deepEqual(
        problemsOf(() => parseVote({ choice: 'approve', comment: 'c'.repeat(LIMITS.comment + 1) })),
        [{ field: 'Comment', message: 'Keep it to 1000 characters or fewer.' }],
      );
    });
  });
});

describe('money', () => {
  it('reads pounds into pence', () => {
    assert.equal(parsePounds('450'), 45000);
    assert.equal(parsePounds('450.5'), 45050);
    assert.equal(parsePounds('45.50'), 4550);
    assert.equal(parsePounds('£1,200'), 120000);
    assert.equal(parsePounds('£1,450.50'), 145050);
    assert.equal(parsePounds('£1,234,567.89'), 123456789);
    assert.equal(parsePounds(' £ 12 '), 1200);
    assert.equal(parsePounds(12.5), 1250);
  });

  it('refuses what is not an amount of money', () => {
    for (const s of ['', 'abc', '-5', '£-5', '1.234', '12.', '£', '1e3', '5 pounds']) {
      assert.equal(parsePounds(s), undefined, s);
    }
  });

  it('refuses commas that are not thousands separators, rather than misreading 45,50 as £4,550', () => {
    for (const s of ['45,50', '1,2,3', '12,00.50', ',100', '100,'])
      assert.equal(parsePounds(s), undefined, s);
  });

  it('shows pence as pounds', () => {
    assert.equal(formatPence(4550), '£45.50');
    assert.equal(formatPence(120000), '£1,200.00');
    assert.equal(formatPence(0), '£0.00');
  });
});

describe('dates', () => {
  it('gives the London date of an instant in winter (GMT) and summer (BST)', () => {
    assert.equal(londonDate(new Date('2026-03-28T23:30:00Z')), '2026-03-28');
    assert.equal(londonDate(new Date('2026-10-24T23:30:00Z')), '2026-10-25');
  });

  it('moves to the next day at London midnight across the clock changes', () => {
    assert.equal(londonDate(new Date('2026-03-29T23:30:00Z')), '2026-03-30');
    assert.equal(londonDate(new Date('2026-10-25T23:30:00Z')), '2026-10-25');
  });

  it('gives the London year at new year', () => {
    assert.equal(londonYear(new Date('2026-12-31T23:59:59Z')), 2026);
    assert.equal(londonYear(new Date('2027-01-01T00:00:00Z')), 2027);
  });

  it('knows a real calendar date', () => {
    assert.equal(isIsoDate('2026-12-02'), true);
    assert.equal(isIsoDate('2028-02-29'), true);
  });

  it('refuses impossible or oddly written dates', () => {
    for (const s of [
      '2026-02-30',
      '2027-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-2-3',
      '02/12/2026',
      '',
      '2026-12-02T00:00',
    ]) {
      assert.equal(isIsoDate(s), false, s);
    }
  });

  it('shows a date as it reads on a card', () => {
    assert.equal(showDate('2026-12-02'), 'Wed 2 Dec 2026');
    assert.equal(showDate('2026-03-29'), 'Sun 29 Mar 2026');
  });

  it('counts and adds days across month ends and the clock change', () => {
    assert.equal(addDays('2026-03-28', 2), '2026-03-30');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(daysBetween('2026-10-24', '2026-10-26'), 2);
    assert.equal(daysBetween('2026-11-27', '2026-11-20'), -7);
  });
});

describe('pseudonymising free text', () => {
  it("replaces each part of the pupil's name, whatever its case", () => {
    assert.equal(
      redactName('Sam Price was upset. SAM often says price is unfair; sam.', 'Sam Price'),
      '[pupil] was upset. [pupil] often says [pupil] is unfair; [pupil].',
    );
  });

  it('leaves names inside other words alone', () => {
    assert.equal(
      redactName('Samantha took a sample; priceless.', 'Sam Price'),
      'Samantha took a sample; priceless.',
    );
  });

  it("redacts a possessive but keeps the 's", () => {
    assert.equal(redactName("Sam's mother agreed.", 'Sam Price'), "[pupil]'s mother agreed.");
  });

  it('redacts either half of a double-barrelled surname on its own, and the whole', () => {
    assert.equal(
      redactName('Mrs Okonkwo met Sam Okonkwo-Price; the Price family agreed.', 'Sam Okonkwo-Price'),
      'Mrs [pupil] met [pupil]; the [pupil] family agreed.',
    );
  });

  it('redacts names with letters outside English', () => {
    assert.equal(redactName('Zoë and ZOË said hello.', 'Zoë Brontë'), '[pupil] and [pupil] said hello.');
  });

  it('treats characters special to patterns literally', () => {
    assert.equal(redactName('A.J. said (Jo) J.J.', 'A.J. (Jo)'), '[pupil] said [pupil] J.J.');
  });

  it('ignores single letters, so initials do not blank out the text', () => {
    assert.equal(redactName('A plan for Sam.', 'Sam A Price'), 'A plan for [pupil].');
  });

  it('catches the name typed with the other apostrophe or without its accents', () => {
    assert.equal(redactName('Spoke to O’Neil today.', "Liam O'Neil"), 'Spoke to [pupil] today.');
    assert.equal(redactName('Zoe settled well.', 'Zoë Hart'), '[pupil] settled well.');
  });

  it('leaves text alone when there is no name', () => {
    assert.equal(redactName('A whole-class request.', undefined), 'A whole-class request.');
    assert.equal(redactName('A whole-class request.', ''), 'A whole-class request.');
  });
});

describe('the directory file', () => {
  const demo = JSON.parse(fs.readFileSync(path.join(__dirname, '../../demo/directory.json'), 'utf8')) as {
    schools: Record<string, unknown>[];
    people: Record<string, unknown>[];
  };
  const copy = () => structuredClone(demo);

  /** Parses a directory that should be refused; answers its one-line message. */
  function refusal(raw: unknown): string {
    try {
      parseDirectory(raw);
    } catch (e) {
      assert.ok(e instanceof DirectoryError, `expected a DirectoryError, got ${String(e)}`);
      assert.equal(e.message.includes('\n'), false, 'one line');
      return e.message;
    }
    assert.fail('expected the directory to be refused');
  }

  it('loads the bundled demo directory, one person per role', () => {
    const d = parseDirectory(demo);
    assert.equal(d.schools.length, demo.schools.length);
    assert.equal(d.people.length, demo.people.length);
    assert.equal(d.panel.quorum, 3);
    for (const role of ['senco', 'head', 'panel', 'coordinator', 'admin'] as const) {
      assert.ok(d.withRole(role).length > 0, `someone is ${role}`);
    }
  });

  it('finds people by object id whatever its case, and by name', () => {
    const d = parseDirectory(demo);
    const first = demo.people[0]!;
    const id = String(first.aadObjectId);
    assert.equal(d.person(id.toUpperCase())?.name, first.name);
    assert.equal(d.findByName(String(first.name).toUpperCase())?.aadObjectId, id);
    assert.equal(d.person(undefined), undefined);
    assert.equal(d.person('not-a-person'), undefined);
  });

  it('uses a quorum of three when the file sets none', () => {
    const { schools, people } = copy();
    assert.equal(parseDirectory({ schools, people }).panel.quorum, 3);
  });

  it('names the entry and field when a SENCo has no school', () => {
    const raw = copy();
    raw.people[0] = { ...raw.people[0], roles: ['senco'] };
    delete raw.people[0]!.schoolId;
    const message = refusal(raw);
    assert.match(message, /people\[0\]/);
    assert.match(message, /schoolId/);
    assert.match(message, /Megan Bowen/);
  });

  it('names the entry and field for an unknown role', () => {
    const raw = copy();
    raw.people[1] = { ...raw.people[1], roles: ['coordinator', 'wizard'] };
    const message = refusal(raw);
    assert.match(message, /people\[1\]/);
    assert.match(message, /roles/);
    assert.match(message, /senco, head, panel, coordinator, admin/);
  });

  it('refuses a person with no roles', () => {
    const raw = copy();
    raw.people[1] = { ...raw.people[1], roles: [] };
    assert.match(refusal(raw), /people\[1\].*roles.*at least one role/);
  });

  it('names the school and field for a bad phase', () => {
    const raw = copy();
    raw.schools[2] = { ...raw.schools[2], phase: 'college' };
    const message = refusal(raw);
    assert.match(message, /schools\[2\]/);
    assert.match(message, /phase/);
    assert.match(message, /early-years, primary, secondary, special/);
  });

  it('refuses a person whose object id repeats another, whatever its case', () => {
    const raw = copy();
    raw.people.push({
      ...raw.people[0],
      name: 'Megan Twin',
      aadObjectId: String(raw.people[0]!.aadObjectId).toUpperCase(),
    });
    const message = refusal(raw);
    assert.match(message, new RegExp(`people\\[${raw.people.length - 1}\\]`));
    assert.match(message, /aadObjectId/);
  });

  it('refuses a schoolId naming no school', () => {
    const raw = copy();
    raw.people[0] = { ...raw.people[0], schoolId: 'nowhere-high' };
    const message = refusal(raw);
    assert.match(message, /people\[0\]/);
    assert.match(message, /schoolId/);
    assert.match(message, /nowhere-high/);
  });

  it('refuses two schools with the same id', () => {
    const raw = copy();
    raw.schools.push({ ...raw.schools[0], name: 'Oakfield Annexe' });
    assert.match(refusal(raw), new RegExp(`schools\\[${raw.schools.length - 1}\\].*id`));
  });

  it('refuses a bad email address, naming the entry', () => {
    const raw = copy();
    raw.people[3] = { ...raw.people[3], email: 'not an email' };
    assert.match(refusal(raw), /people\[3\].*email/);
  });

  it('refuses a quorum that is not a whole number', () => {
    assert.match(refusal({ ...copy(), panel: { quorum: 2.5 } }), /panel.*quorum.*whole number/);
  });

  it('refuses a file that is not a directory at all', () => {
    assert.match(refusal(null), /the file/);
    assert.match(refusal({ schools: [], people: [] }), /schools/);
  });

  it('loads the demo terms, providers, budgets and reminder rules', () => {
    const d = parseDirectory(demo);
    assert.equal(d.terms[0]?.start, '2026-09-03');
    assert.ok(d.seeds.providers.some((p) => p.services.includes('counselling')));
    assert.deepEqual(
      d.seeds.budgets.map((b) => b.year),
      ['2026-27', '2027-28'],
    );
    assert.equal(d.reminders.voteDeadlineSchoolDays, 5);
  });

  it('uses the default reminder rules and no terms, providers or budgets when the file has none', () => {
    const { schools, people } = copy();
    const d = parseDirectory({ schools, people });
    assert.deepEqual(d.terms, []);
    assert.deepEqual(d.seeds, { providers: [], budgets: [] });
    assert.deepEqual(d.reminders, {
      voteDeadlineSchoolDays: 5,
      voteReminderSchoolDays: 2,
      triageSchoolDays: 5,
      providersMeetingDay: 10,
    });
  });

  const extra = (over: Record<string, unknown>) => ({ ...copy(), ...over });

  it('names the term and field for a date that is not a date', () => {
    assert.match(
      refusal(extra({ terms: [{ name: 'Autumn', start: '2026-09-03', end: '2026-13-01' }] })),
      /terms\[0\] \("Autumn"\) field "end" must be a date/,
    );
  });

  it('refuses a term that ends before it starts, or overlaps another', () => {
    assert.match(
      refusal(extra({ terms: [{ name: 'Autumn', start: '2026-09-03', end: '2026-09-01' }] })),
      /terms\[0\].*"end" must not be before the start/,
    );
    assert.match(
      refusal(
        extra({
          terms: [
            { name: 'A', start: '2026-09-03', end: '2026-10-23' },
            { name: 'B', start: '2026-10-20', end: '2026-12-18' },
          ],
        }),
      ),
      /"B".*overlaps the term "A"/,
    );
  });

  it('names the provider and field for a service not in the catalogue, or a rate in pounds', () => {
    const provider = { id: 'acme', name: 'Acme', services: ['counselling'], ratePence: 4500 };
    assert.match(
      refusal(extra({ providers: [{ ...provider, services: ['astrology'] }] })),
      /providers\[0\] \("Acme"\) field "services"/,
    );
    assert.match(
      refusal(extra({ providers: [{ ...provider, ratePence: 45.5 }] })),
      /providers\[0\].*"ratePence" must be a whole number of pence/,
    );
    assert.match(refusal(extra({ providers: [provider, provider] })), /providers\[1\].*repeats "acme"/);
  });

  it('refuses a budget year that is not two years in a row, or a negative allocation', () => {
    assert.match(
      refusal(extra({ budgets: [{ year: '2026-28', allocationPence: 1 }] })),
      /budgets\[0\] field "year" must be two years in a row/,
    );
    assert.match(
      refusal(extra({ budgets: [{ year: '2026-27', allocationPence: -1 }] })),
      /budgets\[0\].*allocationPence.*cannot be negative/,
    );
  });

  it('keeps the rows that are fine when a row kept in a list is at fault, naming list and row', () => {
    const raw = copy();
    const { directory, problems } = parseDirectoryRows({
      schools: [...raw.schools, { id: 'Bad School', name: 'Bad', phase: 'primary' }],
      people: [
        ...raw.people,
        {
          aadObjectId: 'x1',
          name: 'No Email',
          email: 'nope',
          roles: ['senco'],
          schoolId: 'oakfield-primary',
        },
        {
          aadObjectId: 'x2',
          name: 'Lost Head',
          email: 'h@example.com',
          roles: ['head'],
          schoolId: 'Bad School',
        },
      ],
      settings: { panel: { quorum: 2 } },
    });
    assert.equal(directory.people.length, raw.people.length);
    assert.equal(directory.schools.length, raw.schools.length);
    assert.equal(directory.panel.quorum, 2);
    assert.deepEqual(problems, [
      `schools row ${raw.schools.length + 1} ("Bad") field "id" must be lower-case letters, digits and dashes`,
      `people row ${raw.people.length + 1} ("No Email") field "email" must be an email address`,
      `people row ${raw.people.length + 2} ("Lost Head") field "schoolId" names no school in the directory: "Bad School"`,
    ]);
  });

  it('refuses a providers meeting day that not every month has', () => {
    assert.match(
      refusal(extra({ reminders: { providersMeetingDay: 31 } })),
      /reminders.*providersMeetingDay/,
    );
  });
});
