// STAND-IN, REPLACED ON MERGE: the real filter card and report card (charts and phone-friendly tables) are written in
// another branch. This keeps the builders' names and enough of their shape for src/app/reports and its tests: the
// filter form's inputs (year, term, schoolId, phase) and a card that names the period, the scope and requests.
import type { FieldProblem } from '../domain/errors';
import type { Report } from '../domain/report-types';
import { PHASES } from '../domain/types';
import { formCard, type Field } from './form-card';
import { noticeCard } from './notice-card';
import type { Card } from './render';
import type { CardAction } from './verbs';

export interface ReportFilterCardData {
  years: readonly string[];
  terms: readonly string[];
  /** The schools the person may choose; with `anySchool`, "All schools" too. */
  schools: readonly { id: string; name: string }[];
  anySchool: boolean;
  values: { year?: string; term?: string; schoolId?: string; phase?: string };
  problems?: FieldProblem[];
  actions: CardAction[];
}

export function reportFilterCard(d: ReportFilterCardData): Card {
  const fields: Field[] = [
    {
      kind: 'choice',
      id: 'year',
      label: 'Financial year',
      required: true,
      choices: d.years.map((y) => ({ title: y, value: y })),
      value: d.values.year ?? d.years[0] ?? '',
    },
    {
      kind: 'choice',
      id: 'term',
      label: 'Term',
      choices: [{ title: 'The whole year', value: '' }, ...d.terms.map((t) => ({ title: t, value: t }))],
      value: d.values.term ?? '',
    },
    {
      kind: 'choice',
      id: 'schoolId',
      label: 'School',
      choices: [
        ...(d.anySchool ? [{ title: 'All schools', value: '' }] : []),
        ...d.schools.map((s) => ({ title: s.name, value: s.id })),
      ],
      value: d.values.schoolId ?? '',
    },
    {
      kind: 'choice',
      id: 'phase',
      label: 'Phase',
      choices: [{ title: 'All phases', value: '' }, ...PHASES.map((p) => ({ title: p, value: p }))],
      value: d.values.phase ?? '',
    },
  ];
  return formCard({ title: 'Impact report', fields, problems: d.problems ?? [], actions: d.actions });
}

export interface ReportCardData {
  report: Report;
  charts?: boolean;
  actions: CardAction[];
}

export function reportCard({ report, actions }: ReportCardData): Card {
  return noticeCard({
    title: `Impact report ${report.period.label}`,
    text: report.school ? report.school.name : 'All schools',
    facts: [
      { title: 'Requests (LA-wide)', value: report.la.requests.shown },
      ...(report.school ? [{ title: 'Requests (school)', value: report.school.figures.requests.shown }] : []),
      ...report.bySchool.map((r) => ({ title: r.school, value: r.requests.shown })),
    ],
    actions,
  });
}
