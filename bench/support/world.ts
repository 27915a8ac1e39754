// The people and activities the card-action suites use: the fixture directory with as many extra panel members as a
// suite needs (generated into a temp file), the request, assessment and proposal a case is taken through, and the
// Teams activities (test/support/harness.ts) a person's button press or message arrives as.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { P, activityFrom, pressActivity, type TestPerson } from '../../test/support/harness';

/** The bench's clock: a Friday in term, so every date below is valid (the fixture's terms are 2026-27). */
export const BENCH_NOW = '2026-11-27T10:00:00.000Z';

/** A SENCo's request for one pupil, with parental consent, as the request form sends it. */
export const REQUEST = {
  kind: 'individual',
  pupilName: 'Sam Okonkwo-Price',
  yearGroup: 'Year 4',
  needs: 'semh,communication',
  tried: 'A daily check-in with a TA and a calm corner since September.',
  asked: 'Counselling and advice on classroom strategies.',
  consentGivenBy: 'Jo Price (mother)',
  consentDate: '2026-11-20',
  consentMethod: 'in-writing',
};
export const ACCEPT = { observationDate: '2026-12-02' };
export const ASSESS = {
  observedOn: '2026-11-27',
  findings: 'Dysregulated at transitions.',
  needsIdentified: 'Regulation.',
};
export const PROPOSAL = {
  service1: 'counselling@oakwood-counselling',
  sessions1: '12',
  rationale: 'Regulation before escalation.',
  outcomes: 'Fewer incidents at lunchtime.',
  reviewDate: '2027-03-19',
};

/** Extra panel member n: a head at a school other than Oakfield (where every bench case is raised). */
export const member = (n: number): TestPerson => ({
  aadObjectId: `10000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
  name: `Panel Member ${n}`,
});

const OTHER_SCHOOLS = ['brookside-primary', 'hillcrest-academy', 'riverside-school'];

/** The largest quorum a directory may set. */
export const QUORUM = 50;

/**
 * Writes a directory: the fixture's, plus `extra` panel members, with a quorum of 50, so of 50 voters on a case the
 * first 49 votes are recorded and the 50th decides. Answers the file and the voters (all may vote on Oakfield's cases).
 */
export function writeDirectory(extra: number): { file: string; voters: TestPerson[] } {
  const fixture = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'directory.json'), 'utf8'),
  ) as { people: Record<string, unknown>[]; panel: { quorum: number } };
  const added = Array.from({ length: extra }, (_, i) => member(i + 1));
  // Alex and Lynne are the fixture's panel members outside Oakfield (Patti is Oakfield's head).
  const voters = [P.alex, P.lynne, ...added];
  const people = [
    ...fixture.people,
    ...added.map((p, i) => ({
      ...p,
      email: `member${i + 1}@example.com`,
      roles: ['head', 'panel'],
      schoolId: OTHER_SCHOOLS[i % OTHER_SCHOOLS.length],
    })),
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-bench-dir-'));
  const file = path.join(dir, 'directory.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ ...fixture, people, panel: { quorum: Math.min(QUORUM, voters.length) } }),
  );
  return { file, voters };
}

/** Everyone who must have a 1:1 chat with the bot: the fixture's people and the extra members. */
export const everyone = (extra: number): TestPerson[] => [
  P.megan,
  P.adele,
  P.alex,
  P.patti,
  P.lynne,
  P.isaiah,
  ...Array.from({ length: extra }, (_, i) => member(i + 1)),
];

export const press = pressActivity;
export const message = (serviceUrl: string, p: TestPerson, text: string) => ({
  ...activityFrom(serviceUrl, p, 'personal'),
  type: 'message',
  text,
});
