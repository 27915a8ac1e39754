// The report's CSV, byte for byte, for a report small enough to write out by hand: what Excel opens. The figures are
// made up here (the computation has its own tests); what is checked is the file: BOM, CRLF, quoting and neutralised
// formulas in what people typed (a provider's or school's name, and any cell of the extract).
import assert from 'node:assert/strict';
import { reportCsvBytes } from '../../../src/app/reports/csv';
import type { ExtractRow, Report, ReportFigures } from '../../../src/domain/report-types';

const n = (value: number, shown = String(value)) => ({ value, shown });

const LA: ReportFigures = {
  requests: n(2),
  byNeed: [{ need: 'semh', count: n(1) }],
  individual: n(1),
  wholeClass: n(1),
  wholeClassShare: 0.5,
  daysToDecision: { decided: 1, median: 10, p90: 10 },
  decisions: [{ outcome: 'approved', count: n(1) }],
  allocation: { pence: 35_700_000 },
  committed: { pence: 123_450 },
  spent: { pence: 5 },
  byIntervention: [{ type: 'counselling', committed: { pence: 123_450 }, spent: { pence: 5 } }],
  byProvider: [{ provider: '=Evil, "Ltd"', committed: { pence: 123_450 }, spent: { pence: 5 } }],
  outcomes: { recorded: 1, progress: [{ level: 'good', count: n(1) }], meanScoreChange: -1.5, withScores: 1 },
  reviews: { onTime: 1, late: 0, overdue: 0 },
  closed: [{ reason: 'ehc-assessment', count: n(1, '<3') }],
};

const REPORT: Report = {
  filter: { year: '2026-27' },
  period: { label: '2026-27', from: '2026-04-01', to: '2027-03-31' },
  la: LA,
  bySchool: [{ schoolId: 'oakfield', school: 'Oakfield, "Upper"\nSite', requests: n(2, '<3') }],
  generatedAt: '2026-11-30T10:00:00.000Z',
};

const ROW: ExtractRow = {
  ref: 'EIP-2026-0001',
  school: 'Oakfield Primary School',
  phase: 'primary',
  yearGroup: 'Year 4',
  kind: 'individual',
  needs: '+semh',
  status: '-approved',
  raised: '2026-11-27',
  decided: '@2026-11-30',
  outcome: 'approved',
  approvedPounds: '1234.50',
  committedPounds: '1234.50',
  spentPounds: '0.05',
  closedReason: '\tx',
  progress: '\rgood',
};

describe('the report CSV', () => {
  it('is UTF-8 with a BOM and CRLF line ends, quotes commas, quotes and line breaks, and neutralises formulas', () => {
    const lines = [
      'EIP impact report,2026-27',
      'Period,2026-04-01 to 2027-03-31',
      'Generated,2026-11-30T10:00:00.000Z',
      '',
      'Figure,Breakdown,LA-wide',
      'Requests,,2',
      'Requests by need,"Social, emotional and mental health",1',
      'Individual requests,,1',
      'Whole-class requests,,1',
      'Whole-class share,,50.0%',
      'Days from request to decision,Cases decided,1',
      'Days from request to decision,Median,10',
      'Days from request to decision,90th percentile,10',
      'Decisions,Approved,1',
      'Allocation (£),,357000.00',
      'Committed (£),,1234.50',
      'Spent (£),,0.05',
      'Committed by intervention (£),Counselling,1234.50',
      'Spent by intervention (£),Counselling,0.05',
      `Committed by provider (£),"'=Evil, ""Ltd""",1234.50`,
      `Spent by provider (£),"'=Evil, ""Ltd""",0.05`,
      'Outcome reviews recorded,,1',
      'Progress,Good progress,1',
      'Reviews with baseline and end scores,,1',
      'Mean score change,,-1.5',
      'Reviews due,Done on time,1',
      'Reviews due,Done late,0',
      'Reviews due,Overdue,0',
      'Cases closed,Referred for an EHC needs assessment,<3',
      '',
      'School,Requests',
      '"Oakfield, ""Upper""\nSite",<3',
      '',
      'Case reference,School,Phase,Year group,Kind,Needs,Status,Raised,Decided,Decision,Approved (£),Committed (£),Spent (£),Closed because,Progress',
      `EIP-2026-0001,Oakfield Primary School,primary,Year 4,individual,'+semh,'-approved,2026-11-27,'@2026-11-30,approved,1234.50,1234.50,0.05,'\tx,"'\rgood"`,
    ];
    const expected = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8'),
    ]);
    const bytes = reportCsvBytes(REPORT, [ROW]);
    assert.equal(bytes.toString('utf8'), expected.toString('utf8'));
    assert.ok(bytes.equals(expected));
  });

  it("puts a school's own figures beside the LA-wide ones, and lists no schools", () => {
    const text = reportCsvBytes(
      {
        ...REPORT,
        filter: { year: '2026-27', schoolId: 'oakfield' },
        bySchool: [],
        school: {
          schoolId: 'oakfield',
          name: 'Oakfield Primary School',
          figures: { ...LA, requests: n(1, '<3') },
        },
      },
      [],
    ).toString('utf8');
    assert.ok(text.includes('\r\nFigure,Breakdown,LA-wide,Oakfield Primary School\r\n'));
    assert.ok(text.includes('\r\nRequests,,2,<3\r\n'));
    assert.ok(!text.includes('School,Requests'));
  });
});
