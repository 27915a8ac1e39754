// The provider directory's rules: what an admin may type for a provider, and how providers are offered to proposals.
import assert from 'node:assert/strict';
import {
  EipError,
  parseProvider,
  providerSlug,
  rateLine,
  sameName,
  serviceChoices,
  type FieldProblem,
  type ProviderRecord,
} from '../../src/domain';

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

const good = {
  name: '  Oakwood Counselling Service ',
  services: 'play-therapy,counselling',
  rate: '45',
  rateUnit: 'session',
  contact: 'referrals@oakwood.example, 01604 000101',
};

const record = (p: Partial<ProviderRecord> & Pick<ProviderRecord, 'id' | 'name'>): ProviderRecord => ({
  services: ['counselling'],
  ratePence: 4500,
  rateUnit: 'session',
  contact: '',
  active: true,
  updatedBy: 'directory',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...p,
});

describe('the provider directory', () => {
  describe('the provider form', () => {
    it('reads a provider: trimmed name, services in catalogue order, the rate in pence', () => {
      assert.deepEqual(parseProvider(good), {
        name: 'Oakwood Counselling Service',
        services: ['counselling', 'play-therapy'],
        ratePence: 4500,
        rateUnit: 'session',
        contact: 'referrals@oakwood.example, 01604 000101',
      });
    });

    it('reads a day rate in pounds and pence, sent as a number', () => {
      const p = parseProvider({ ...good, rate: 550.5, rateUnit: 'day' });
      assert.equal(p.ratePence, 55050);
      assert.equal(p.rateUnit, 'day');
    });

    const rateRefusals: [unknown, RegExp][] = [
      ['-45', /The rate cannot be negative/],
      [-45, /The rate cannot be negative/],
      ['0', /The rate must be more than £0/],
      ['45.555', /no more than two decimal places/],
      ['100000.01', /The rate can be at most £100,000\.00/],
      ['a lot', /for example 45\.50/],
      ['', /Enter the rate in pounds/],
      [undefined, /Enter the rate in pounds/],
    ];
    for (const [rate, why] of rateRefusals) {
      it(`refuses a rate of ${JSON.stringify(rate)}, saying why under "Rate"`, () => {
        const problems = problemsOf(() => parseProvider({ ...good, rate }));
        assert.deepEqual(
          problems.map((p) => p.field),
          ['Rate'],
        );
        assert.match(problems[0]!.message, why);
      });
    }

    it('refuses a provider offering no services, or one not in the catalogue', () => {
      assert.deepEqual(
        problemsOf(() => parseProvider({ ...good, services: '' })),
        [{ field: 'Services offered', message: 'Choose at least one service.' }],
      );
      assert.deepEqual(
        problemsOf(() => parseProvider({ ...good, services: 'counselling,astrology' })),
        [{ field: 'Services offered', message: 'Choose from the list of services.' }],
      );
    });

    it('refuses a blank name, a blank contact and a rate unit that is neither session nor day', () => {
      assert.deepEqual(
        problemsOf(() => parseProvider({ ...good, name: '   ', contact: '', rateUnit: 'hour' })),
        [
          { field: 'Name', message: 'This is required.' },
          { field: 'Charged per', message: 'Choose whether the rate is per session or per day.' },
          { field: 'Contact details', message: 'Give an email address or phone number for commissioning.' },
        ],
      );
    });

    it('refuses over-long names and contact details', () => {
      assert.deepEqual(
        problemsOf(() => parseProvider({ ...good, name: 'n'.repeat(101), contact: 'c'.repeat(201) })),
        [
          { field: 'Name', message: 'Keep it to 100 characters or fewer.' },
          { field: 'Contact details', message: 'Keep it to 200 characters or fewer.' },
        ],
      );
    });

    it('ignores an id, a rate in pence, or an active flag sent with the form', () => {
      const p = parseProvider({ ...good, id: 'x', ratePence: 1, active: false, updatedBy: 'me' });
      assert.deepEqual(Object.keys(p).sort(), ['contact', 'name', 'ratePence', 'rateUnit', 'services']);
      assert.equal(p.ratePence, 4500);
    });
  });

  it('shows a rate per session or per day', () => {
    assert.equal(rateLine({ ratePence: 4500, rateUnit: 'session' }), '£45.00 a session');
    assert.equal(rateLine({ ratePence: 55000, rateUnit: 'day' }), '£550.00 a day');
  });

  it('makes a readable id from a name, never the word for "another provider"', () => {
    assert.equal(providerSlug('Oakwood Counselling Service'), 'oakwood-counselling-service');
    assert.equal(providerSlug('  Café & Co. (Northants) '), 'cafe-and-co-northants');
    assert.equal(providerSlug('Other'), 'other-provider');
    assert.equal(providerSlug('!!!'), 'provider');
    assert.ok(providerSlug('x'.repeat(200)).length <= 60);
  });

  it('treats names that differ only in case, spacing or punctuation as the same provider', () => {
    assert.ok(sameName('Speech Matters CIC', ' speech matters,  cic. '));
    assert.ok(sameName('Step-Up Mentoring', 'step up  mentoring'));
    assert.ok(!sameName('Step Up Mentoring', 'Step Up Mentoring North'));
  });

  it("offers a proposal each active provider's services, grouped by service, then another provider", () => {
    const choices = serviceChoices([
      record({ id: 'zed', name: 'Zed Counselling', services: ['counselling'] }),
      record({ id: 'abc', name: 'ABC Therapy', services: ['play-therapy', 'counselling'], ratePence: 5000 }),
      record({ id: 'old', name: 'Old Mentors', services: ['mentoring'], active: false }),
    ]);
    assert.deepEqual(choices.slice(0, 4), [
      { title: 'Counselling: ABC Therapy (£50.00 a session)', value: 'counselling@abc' },
      { title: 'Counselling: Zed Counselling (£45.00 a session)', value: 'counselling@zed' },
      { title: 'Counselling: another provider (name it below)', value: 'counselling@other' },
      {
        title: 'Educational psychology: another provider (name it below)',
        value: 'educational-psychology@other',
      },
    ]);
    assert.ok(choices.some((c) => c.value === 'play-therapy@abc'));
    assert.ok(!choices.some((c) => c.value.endsWith('@old')), 'an inactive provider is not offered');
    assert.equal(
      choices.filter((c) => c.value.endsWith('@other')).length,
      8,
      'another provider for every service',
    );
  });
});
