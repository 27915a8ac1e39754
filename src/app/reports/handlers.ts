// Impact reports: the filter card (`report` typed, or the menu's Report button), the report card, and its CSV export.
// Who may see what comes from the directory (access.ts); the figures from buildReport over the store's records; the
// file from csv.ts, delivered as delivery.ts says. Reports open in the 1:1 chat only (they are not group verbs).
import { z } from 'zod';
import { EipError, PHASES, PHASE_LABELS, londonDate, shiftYear, type Phase } from '../../domain';
import { buildReport, extractRows, type ReportInput } from '../../domain/report';
import type { Report, ReportFilter } from '../../domain/report-types';
import { action, noticeCard, type Card } from '../../cards';
import { REPORT_ALL, reportCard, reportFilterCard } from '../../cards/report-card';
import { yearNow } from '../budget/holds';
import type { Handler } from '../handlers/context';
import type { Actor } from '../identity';
import type { AppDeps } from '../ports';
import { audit } from '../records';
import { reportScope, scopedFilter, type ReportScope } from './access';
import { reportCsvBytes } from './csv';
import { reportsOf } from './delivery';

/** Financial years offered on the filter card: this one and the two before. */
const YEARS_BACK = 2;

/** Every record a report is computed from, read from the store; schools and terms from the directory. */
export async function reportInput(deps: AppDeps): Promise<ReportInput> {
  const { store, directory } = deps;
  const all = async <T>(c: { find(): Promise<{ value: T }[]> }) => (await c.find()).map((s) => s.value);
  const [cases, proposals, decisions, packages, spends, reviews, budgets, providers] = await Promise.all([
    all(store.cases),
    all(store.proposals),
    all(store.decisions),
    all(store.packages),
    all(store.spends),
    all(store.reviews),
    all(store.budgets),
    all(store.providers),
  ]);
  // Providers as the store holds them, and any the directory seeds that the store does not (yet).
  const known = new Set(providers.map((p) => p.id));
  return {
    cases,
    proposals,
    decisions,
    packages,
    spends,
    reviews,
    budgets,
    schools: directory.schools.map((s) => ({ id: s.id, name: s.name, phase: s.phase })),
    terms: directory.terms,
    providers: [
      ...providers.map((p) => ({ id: p.id, name: p.name })),
      ...directory.seeds.providers.filter((p) => !known.has(p.id)).map((p) => ({ id: p.id, name: p.name })),
    ],
    now: deps.now(),
  };
}

/** What the filter card's inputs may be; an empty choice means "all". */
const filterInput = z.object({
  year: z.string().regex(/^\d{4}-\d{2}$/, 'Choose a financial year.'),
  term: z.string().max(200).optional(),
  schoolId: z.string().max(200).optional(),
  phase: z.string().max(40).optional(),
});

/** A choice left blank, or the card's "all" (Whole year, All schools, All phases), narrows nothing. */
const blankToUndefined = (v: unknown) =>
  typeof v === 'string' && v.trim() !== '' && v.trim() !== REPORT_ALL ? v.trim() : undefined;

/** The filter a card asked for, checked against the directory's terms, schools and phases. */
function filterOf(deps: AppDeps, data: Record<string, unknown>): ReportFilter {
  const raw = {
    year: blankToUndefined(data.year) ?? '',
    term: blankToUndefined(data.term),
    schoolId: blankToUndefined(data.schoolId),
    phase: blankToUndefined(data.phase),
  };
  const parsed = filterInput.safeParse(raw);
  const problems: { field: string; message: string }[] = [];
  if (!parsed.success) problems.push({ field: 'Financial year', message: 'Choose a financial year.' });
  if (raw.term !== undefined && !deps.directory.terms.some((t) => t.name === raw.term))
    problems.push({ field: 'Term', message: 'Choose one of the terms listed.' });
  if (raw.schoolId !== undefined && !deps.directory.school(raw.schoolId))
    problems.push({ field: 'School', message: 'Choose one of the schools listed.' });
  if (raw.phase !== undefined && !(PHASES as readonly string[]).includes(raw.phase))
    problems.push({ field: 'Phase', message: 'Choose one of the phases listed.' });
  if (problems.length > 0 || !parsed.success) throw new EipError('invalid_input', undefined, problems);
  return {
    year: parsed.data.year,
    ...(raw.term ? { term: raw.term } : {}),
    ...(raw.schoolId ? { schoolId: raw.schoolId } : {}),
    ...(raw.phase ? { phase: raw.phase as Phase } : {}),
  };
}

/** The filter card, for what this person may choose: every school, or only their own. */
function filterCard(
  deps: AppDeps,
  scope: ReportScope,
  values: Partial<ReportFilter>,
  problems: { field: string; message: string }[] = [],
): Card {
  const year = yearNow(deps);
  const years = Array.from({ length: YEARS_BACK + 1 }, (_, i) => shiftYear(year, -i));
  const schools = deps.directory.schools
    .filter((s) => scope.kind === 'la' || s.id === scope.schoolId)
    .map((s) => ({ id: s.id, name: s.name }));
  // A school's own user picks neither school nor phase: the report is their school's, beside the LA's totals.
  return reportFilterCard({
    years,
    terms: deps.directory.terms.map((t) => t.name),
    ...(scope.kind === 'la' ? { schools, phases: PHASES.map((id) => ({ id, name: PHASE_LABELS[id] })) } : {}),
    values: {
      year: values.year ?? year,
      ...(values.term ? { term: values.term } : {}),
      ...(scope.kind === 'la' && values.schoolId ? { schoolId: values.schoolId } : {}),
      ...(values.phase ? { phase: values.phase } : {}),
    },
    problems,
  });
}

/** `report` typed in the 1:1 chat. */
export async function reportCommand(deps: AppDeps, actor: Actor): Promise<Card> {
  return filterCard(deps, reportScope(actor.person), {});
}

/** The menu's Report button, and "Change filter" on a report card (which carries the filter back). */
export const reportForm: Handler = async ({ deps, actor, req }) => {
  const scope = reportScope(actor.person);
  let values: Partial<ReportFilter> = {};
  try {
    values = filterOf(deps, req.data);
  } catch {
    // A button with no filter, or one out of date: the card starts from this year.
  }
  return filterCard(deps, scope, values);
};

/** A report for one filter, scoped to what this person may see. */
async function scopedReport(deps: AppDeps, scope: ReportScope, filter: ReportFilter) {
  const input = await reportInput(deps);
  const built = buildReport(input, filter);
  // A school's own report never lists other schools, whatever the computation gives.
  const report: Report = scope.kind === 'school' ? { ...built, bySchool: [] } : built;
  return { input, report };
}

const filterData = (filter: ReportFilter) => ({
  year: filter.year,
  ...(filter.term ? { term: filter.term } : {}),
  ...(filter.schoolId ? { schoolId: filter.schoolId } : {}),
  ...(filter.phase ? { phase: filter.phase } : {}),
});

const describeScope = (f: ReportFilter) =>
  [f.year, f.term, f.schoolId ?? 'all schools', f.phase].filter(Boolean).join(', ');

/** Runs the report the filter card asked for. */
export const report: Handler = async ({ deps, actor, req }) => {
  const scope = reportScope(actor.person);
  let wanted: ReportFilter;
  try {
    wanted = filterOf(deps, req.data);
  } catch (e) {
    if (e instanceof EipError && e.code === 'invalid_input') return filterCard(deps, scope, {}, e.problems);
    throw e;
  }
  const filter = scopedFilter(scope, wanted);
  const { report: built } = await scopedReport(deps, scope, filter);
  const run = reportsOf(deps).runs.remember(actor.person.aadObjectId, filter);
  await audit(deps, actor, 'run-report', undefined, `impact report ${describeScope(filter)}`);
  return reportCard({
    report: built,
    actions: [
      action('Export CSV', 'reportCsv', { run }),
      action('Change filter', 'reportForm', filterData(filter)),
      action('Help', 'help'),
    ],
  });
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** "eip-report-2026-27-autumn-2026-oakfield-primary-20261130-1015.csv": ASCII only, and never the same twice a minute. */
function fileNameOf(filter: ReportFilter, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const parts = ['eip-report', filter.year, filter.term, filter.schoolId, filter.phase].filter(
    (p): p is string => Boolean(p),
  );
  return `${parts.map(slug).join('-')}-${stamp}.csv`;
}

const runRef = (data: Record<string, unknown>) => {
  const r = z.object({ run: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/) }).safeParse(data);
  if (!r.success) throw new EipError('moved_on', 'That card is out of date. Type report to start again.');
  return r.data.run;
};

/** The CSV of a report the person ran: only they may export it, and only within what they may still see. */
export const reportCsv: Handler = async ({ deps, actor, req }) => {
  // Who may export at all comes first, from the directory; then whether this is their run.
  const scope = reportScope(actor.person);
  const reports = reportsOf(deps);
  const run = reports.runs.get(runRef(req.data));
  if (!run)
    throw new EipError(
      'moved_on',
      'That report is no longer open. Type report to run it again, then export it.',
    );
  if (run.owner !== actor.person.aadObjectId)
    throw new EipError(
      'forbidden',
      'Only the person who ran this report can export it. Type report to run your own.',
    );
  // The directory may have changed since the report was run: what the person may see is decided again now.
  const filter = scopedFilter(scope, run.filter);
  const { input, report: built } = await scopedReport(deps, scope, filter);
  const ownSchool = scope.kind === 'school' ? deps.directory.school(scope.schoolId)?.name : undefined;
  const rows = extractRows(input, filter).filter((r) => ownSchool === undefined || r.school === ownSchool);
  const now = deps.now();
  const delivered = await reports.delivery.deliver({
    owner: actor.person.aadObjectId,
    fileName: fileNameOf(filter, now),
    bytes: reportCsvBytes(built, rows),
  });
  await audit(
    deps,
    actor,
    'export-report',
    undefined,
    `impact report CSV ${describeScope(filter)}, ${rows.length} cases`,
  );
  const card = noticeCard({
    title: `Impact report ${built.period.label}: CSV ready`,
    text: delivered.expiresAt
      ? `The figures and a row-per-case extract (no names), in one file. The link works for 15 minutes, until ${londonDate(delivered.expiresAt)} ${delivered.expiresAt.toISOString().slice(11, 16)} UTC; run the report again for a fresh one.`
      : 'The figures and a row-per-case extract (no names), in one file, saved to the site’s document library in the folder EIP reports.',
    tone: 'good',
    actions: [action('Back to the report', 'report', filterData(filter)), action('Help', 'help')],
  });
  // The link is a button, not text: text on cards is shown literally and never becomes a link.
  card.actions = [
    { type: 'Action.OpenUrl', title: 'Download CSV', url: delivered.url },
    ...(card.actions ?? []),
  ];
  return card;
};
