// The LA's directory of schools and people, loaded from EIP_DIRECTORY and checked before the bot starts.
import { z } from 'zod';
import {
  INTERVENTION_TYPES,
  PHASES,
  RATE_UNITS,
  ROLES,
  type Person,
  type ProviderRecord,
  type School,
} from './types';
import { DEFAULT_PANEL_RULE, type PanelRule } from './panel-rule';
import { isIsoDate } from './dates';
import { SchoolCalendar } from './school-days';
import { hasLetters, normaliseText } from './text';

/** One term of the LA's school year; the gaps between terms (half terms included) are holidays. */
export interface Term {
  name: string;
  start: string;
  end: string;
}

/** When reminders fall due; every number is configurable in the directory's `reminders` section. */
export interface ReminderRules {
  /** The panel's decision deadline, in school days after a proposal is sent. */
  voteDeadlineSchoolDays: number;
  /** Members who have not voted are reminded this many school days before the deadline. */
  voteReminderSchoolDays: number;
  /** A request waiting for triage longer than this many school days is flagged to the co-ordinator. */
  triageSchoolDays: number;
  /** The day of the month of the providers' meeting, when its agenda is sent. */
  providersMeetingDay: number;
}

export const DEFAULT_REMINDER_RULES: ReminderRules = {
  voteDeadlineSchoolDays: 5,
  voteReminderSchoolDays: 2,
  triageSchoolDays: 5,
  providersMeetingDay: 10,
};

/** A provider as the directory file seeds it (the admin edits it from cards afterwards). */
export type ProviderSeed = Omit<ProviderRecord, 'active' | 'updatedBy' | 'updatedAt'>;

/** A financial year's allocation as the directory file seeds it, if the admin has not set one. */
export interface BudgetSeed {
  year: string;
  allocationPence: number;
}

/** One line of the file's text, cleaned as every answer typed into a card is (see normaliseText). */
const line = (max: number) =>
  z
    .string()
    .transform((s) => normaliseText(s, { multiline: false }))
    .pipe(z.string().max(max));

/** A name of a school, person, term or provider: cleaned, and with at least one letter. */
const named = (max: number) =>
  line(max)
    .refine((s) => s !== '', { error: 'is required' })
    .refine((s) => s === '' || hasLetters(s), { error: 'must contain letters' });

const school = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be lower-case letters, digits and dashes' }),
  name: named(200),
  phase: z.enum(PHASES, { error: `must be one of ${PHASES.join(', ')}` }),
});

const person = z
  .object({
    aadObjectId: z.string().trim().min(1, { error: 'is required' }).max(64),
    name: named(200),
    email: z.email({ error: 'must be an email address' }),
    roles: z
      .array(z.enum(ROLES, { error: `must each be one of ${ROLES.join(', ')}` }), {
        error: 'must be a list of roles',
      })
      .min(1, { error: 'must name at least one role' }),
    schoolId: z.string().trim().min(1).optional(),
  })
  .refine(
    (p) => p.schoolId !== undefined || !p.roles.some((r) => r === 'senco' || r === 'head' || r === 'panel'),
    {
      error: 'is required for a senco, head or panel member',
      path: ['schoolId'],
    },
  );

const isoDay = z.string().refine(isIsoDate, { error: 'must be a date written YYYY-MM-DD' });

const term = z
  .object({
    name: named(100),
    start: isoDay,
    end: isoDay,
  })
  .refine((t) => t.start <= t.end, { error: 'must not be before the start', path: ['end'] });

const pence = z
  .number({ error: 'must be a whole number of pence' })
  .int({ error: 'must be a whole number of pence' })
  .min(0, { error: 'cannot be negative' })
  .max(100_000_000_00, { error: 'is too large' });

const provider = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be lower-case letters, digits and dashes' }),
  name: named(100),
  services: z
    .array(z.enum(INTERVENTION_TYPES, { error: `must each be one of ${INTERVENTION_TYPES.join(', ')}` }), {
      error: 'must be a list of services',
    })
    .min(1, { error: 'must name at least one service' }),
  ratePence: pence.refine((n) => n > 0, { error: 'must be more than 0' }),
  rateUnit: z.enum(RATE_UNITS, { error: `must be one of ${RATE_UNITS.join(', ')}` }).default('session'),
  contact: line(200).default(''),
});

const budget = z.object({
  year: z.string().regex(/^\d{4}-\d{2}$/, { error: 'must be a financial year such as 2026-27' }),
  allocationPence: pence,
});

const count = (min: number, max: number) =>
  z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(min).max(max);

const directorySchema = z.object({
  schools: z.array(school, { error: 'must be a list' }).min(1, { error: 'must list at least one school' }),
  people: z.array(person, { error: 'must be a list' }).min(1, { error: 'must list at least one person' }),
  panel: z
    .object({
      quorum: z.number().int({ error: 'must be a whole number' }).min(1).max(50),
      // With panel cycles: the cut-off for papers, in school days before each meeting (5 when absent).
      cutOffSchoolDays: count(1, 30).optional(),
    })
    .default(DEFAULT_PANEL_RULE),
  terms: z.array(term, { error: 'must be a list' }).default([]),
  providers: z.array(provider, { error: 'must be a list' }).default([]),
  budgets: z.array(budget, { error: 'must be a list' }).default([]),
  reminders: z
    .object({
      voteDeadlineSchoolDays: count(1, 30).default(DEFAULT_REMINDER_RULES.voteDeadlineSchoolDays),
      voteReminderSchoolDays: count(0, 30).default(DEFAULT_REMINDER_RULES.voteReminderSchoolDays),
      triageSchoolDays: count(1, 60).default(DEFAULT_REMINDER_RULES.triageSchoolDays),
      providersMeetingDay: count(1, 28).default(DEFAULT_REMINDER_RULES.providersMeetingDay),
    })
    .default(DEFAULT_REMINDER_RULES),
});

/** What the directory file holds besides schools, people and the panel rule. */
export interface DirectoryExtras {
  terms: Term[];
  providers: ProviderSeed[];
  budgets: BudgetSeed[];
  reminders: ReminderRules;
}

const NO_EXTRAS: DirectoryExtras = {
  terms: [],
  providers: [],
  budgets: [],
  reminders: DEFAULT_REMINDER_RULES,
};

/** Schools, people and the panel rule, with quick look-ups. */
export class Directory {
  readonly schools: readonly School[];
  readonly people: readonly Person[];
  readonly panel: PanelRule;
  /** The LA's term dates; empty means every weekday that is not a bank holiday is a school day. */
  readonly terms: readonly Term[];
  /** Providers and allocations the store is seeded with when it has none of its own. */
  readonly seeds: { providers: readonly ProviderSeed[]; budgets: readonly BudgetSeed[] };
  readonly reminders: ReminderRules;
  /** School days by this directory's terms and England's bank holidays. */
  readonly calendar: SchoolCalendar;
  private readonly byId: Map<string, Person>;
  private readonly schoolById: Map<string, School>;

  constructor(schools: School[], people: Person[], panel: PanelRule, extras: DirectoryExtras = NO_EXTRAS) {
    this.schools = schools;
    this.people = people;
    this.panel = panel;
    this.terms = extras.terms;
    this.seeds = { providers: extras.providers, budgets: extras.budgets };
    this.reminders = extras.reminders;
    this.calendar = new SchoolCalendar(extras.terms);
    this.byId = new Map(people.map((p) => [p.aadObjectId.toLowerCase(), p]));
    this.schoolById = new Map(schools.map((s) => [s.id, s]));
  }

  person(aadObjectId: string | undefined): Person | undefined {
    return aadObjectId ? this.byId.get(aadObjectId.toLowerCase()) : undefined;
  }

  school(id: string | undefined): School | undefined {
    return id ? this.schoolById.get(id) : undefined;
  }

  schoolName(id: string): string {
    return this.school(id)?.name ?? id;
  }

  /** Finds a person by name (case-insensitive), for `act as`. */
  findByName(name: string): Person | undefined {
    const wanted = name.trim().toLowerCase();
    return this.people.find((p) => p.name.toLowerCase() === wanted);
  }

  withRole(role: Person['roles'][number]): Person[] {
    return this.people.filter((p) => p.roles.includes(role));
  }
}

/** Thrown with one line that names the entry and field at fault. */
export class DirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryError';
  }
}

function where(path: readonly PropertyKey[], raw: unknown): string {
  const [list, index, field] = path;
  if (typeof list === 'string' && typeof index === 'number') {
    const entry = (raw as Record<string, unknown[]>)[list]?.[index] as Record<string, unknown> | undefined;
    const label = entry?.name ?? entry?.id ?? entry?.aadObjectId;
    const name = typeof label === 'string' ? ` ("${label}")` : '';
    return `${list}[${index}]${name}${field !== undefined ? ` field "${String(field)}"` : ''}`;
  }
  return path.map(String).join('.') || 'the file';
}

/** Checks a parsed JSON directory; throws DirectoryError naming the first entry and field at fault. */
export function parseDirectory(raw: unknown): Directory {
  const result = directorySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DirectoryError(`${where(issue.path, raw)} ${issue.message}`);
  }
  const d = result.data;
  const schoolIds = new Set<string>();
  d.schools.forEach((s, i) => {
    if (schoolIds.has(s.id))
      throw new DirectoryError(`schools[${i}] ("${s.name}") field "id" repeats "${s.id}"`);
    schoolIds.add(s.id);
  });
  const ids = new Set<string>();
  d.people.forEach((p, i) => {
    const key = p.aadObjectId.toLowerCase();
    if (ids.has(key))
      throw new DirectoryError(`people[${i}] ("${p.name}") field "aadObjectId" repeats another person's`);
    ids.add(key);
    if (p.schoolId !== undefined && !schoolIds.has(p.schoolId)) {
      throw new DirectoryError(
        `people[${i}] ("${p.name}") field "schoolId" names no school in the directory: "${p.schoolId}"`,
      );
    }
  });
  const people: Person[] = d.people.map((p) => ({
    aadObjectId: p.aadObjectId,
    name: p.name,
    email: p.email,
    roles: [...new Set(p.roles)],
    ...(p.schoolId !== undefined ? { schoolId: p.schoolId } : {}),
  }));
  const providerIds = new Set<string>();
  d.providers.forEach((p, i) => {
    if (providerIds.has(p.id))
      throw new DirectoryError(`providers[${i}] ("${p.name}") field "id" repeats "${p.id}"`);
    providerIds.add(p.id);
  });
  const years = new Set<string>();
  d.budgets.forEach((b, i) => {
    const [from, to] = b.year.split('-').map(Number) as [number, number];
    if ((from + 1) % 100 !== to)
      throw new DirectoryError(`budgets[${i}] field "year" must be two years in a row, such as 2026-27`);
    if (years.has(b.year)) throw new DirectoryError(`budgets[${i}] field "year" repeats "${b.year}"`);
    years.add(b.year);
  });
  const terms = [...d.terms].sort((a, b) => a.start.localeCompare(b.start));
  terms.forEach((t, i) => {
    const next = terms[i + 1];
    if (next && next.start <= t.end)
      throw new DirectoryError(`terms ("${next.name}") field "start" overlaps the term "${t.name}"`);
  });
  return new Directory(d.schools, people, d.panel, {
    terms,
    providers: d.providers.map((p) => ({ ...p, services: [...new Set(p.services)] })),
    budgets: d.budgets,
    reminders: d.reminders,
  });
}

/**
 * A directory kept as list rows that people edit by hand (SharePoint): a row at fault is left out and reported by
 * list and row, and every other row keeps working. Throws only when what remains is no directory at all.
 */
export function parseDirectoryRows(raw: {
  schools: unknown[];
  people: unknown[];
  settings?: Record<string, unknown>;
}): { directory: Directory; problems: string[] } {
  const problems: string[] = [];
  const label = (row: unknown) => {
    const r = (row ?? {}) as Record<string, unknown>;
    const name = r.name ?? r.id ?? r.aadObjectId;
    return typeof name === 'string' ? ` ("${name}")` : '';
  };
  const keep = <T>(
    list: string,
    rows: unknown[],
    schema: z.ZodType<T>,
    extra: (v: T) => string | undefined,
  ) =>
    rows.flatMap((row, i) => {
      const r = schema.safeParse(row);
      const why = r.success
        ? extra(r.data)
        : `field "${String(r.error.issues[0]?.path[0] ?? '')}" ${r.error.issues[0]?.message ?? 'is not valid'}`;
      if (why === undefined) return [row];
      problems.push(`${list} row ${i + 1}${label(row)} ${why}`);
      return [];
    });
  const seenSchools = new Set<string>();
  const schools = keep('schools', raw.schools, school, (s) => {
    if (seenSchools.has(s.id)) return `field "id" repeats "${s.id}"`;
    seenSchools.add(s.id);
    return undefined;
  });
  const seenPeople = new Set<string>();
  const people = keep('people', raw.people, person, (p) => {
    const key = p.aadObjectId.toLowerCase();
    if (seenPeople.has(key)) return `field "aadObjectId" repeats another person's`;
    if (p.schoolId !== undefined && !seenSchools.has(p.schoolId))
      return `field "schoolId" names no school in the directory: "${p.schoolId}"`;
    seenPeople.add(key);
    return undefined;
  });
  return { directory: parseDirectory({ ...raw.settings, schools, people }), problems };
}
