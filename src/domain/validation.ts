// Every input from a card is parsed here into typed values, with limits, before anything is stored.
import { z } from 'zod';
import { addDays, isIsoDate, isWeekday } from './dates';
import { EipError, type FieldProblem } from './errors';
import { formatPence, parsePounds } from './money';
import { hasLetters, hasLettersOrDigits, normaliseText } from './text';
import {
  CONSENT_METHODS,
  INTERVENTION_LABELS,
  INTERVENTION_TYPES,
  NEED_AREAS,
  VOTE_CHOICES,
  YEAR_GROUPS,
  type ConsentMethod,
  type Intervention,
  type InterventionType,
  type ProviderRecord,
  type RequestDetails,
  type VoteChoice,
  type YearGroup,
} from './types';

export const LIMITS = {
  name: 100,
  shortText: 200,
  text: 2000,
  longText: 4000,
  comment: 1000,
  sessions: 200,
  unitCostPence: 100_000_00,
  interventions: 3,
} as const;

/** A free-text answer cleaned by normaliseText when it is a string; a missing answer counts as blank. */
const cleaned = (v: unknown): unknown =>
  v === undefined || v === null ? '' : typeof v === 'string' ? normaliseText(v) : v;

/** A choice or a date, cleaned the same way when it is a string; anything else is left for the schema to refuse. */
const cleanedChoice = (v: unknown): unknown =>
  typeof v === 'string' ? normaliseText(v, { multiline: false }) : v;

const tooLong = (max: number) => `Keep it to ${max} characters or fewer.`;

/**
 * Free text, which may run over several lines: cleaned (see normaliseText), required unless optional, at most `max`
 * characters. A missing answer counts as blank.
 */
export const text = (max: number, required = true, missing = 'This is required.') =>
  z.preprocess(
    cleaned,
    z
      .string({ error: 'Enter text.' })
      .max(max, { error: tooLong(max) })
      .refine((s) => !required || s.length > 0, { error: missing }),
  );

/**
 * A name: one line that, once cleaned, must contain a letter (or, with `digitsCount`, a letter or a digit), so a name
 * made only of invisible, control or punctuation characters is refused with `unreadable`, not stored.
 */
export const name = (
  max: number,
  opts: { unreadable: string; missing?: string; required?: boolean; digitsCount?: boolean },
) =>
  z.preprocess(
    (v) => (v === undefined || v === null ? '' : v),
    z.string({ error: 'Enter text.' }).transform((typed, ctx) => {
      const s = normaliseText(typed, { multiline: false });
      const readable = opts.digitsCount ? hasLettersOrDigits(s) : hasLetters(s);
      const fail = (message: string) => {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      // Left blank: required or simply absent. Typed but unreadable once cleaned: say what is wrong with it.
      if (/^\p{White_Space}*$/u.test(typed))
        return opts.required === false ? '' : fail(opts.missing ?? 'This is required.');
      if (!readable) return fail(opts.unreadable);
      if (s.length > max) return fail(tooLong(max));
      return s;
    }),
  );

export const day = z.preprocess(
  cleanedChoice,
  z.string({ error: 'Choose a date.' }).refine(isIsoDate, { error: 'Choose a date.' }),
);

export const oneOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.preprocess(cleanedChoice, z.enum(values, { error: `Choose ${what}.` }));

/** Teams sends a multi-select as "a,b,c". */
export const multi = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string({ error: `Choose at least one ${what}.` })
    .transform((s) => normaliseText(s, { multiline: false }))
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.enum(values, { error: `Choose from the list of ${what}s.` }))
        .min(1, { error: `Choose at least one ${what}.` }),
    )
    .transform((a) => [...new Set(a)]);

/**
 * Every string in a parsed answer, cleaned by normaliseText (keeping line breaks): the parsers above clean what they
 * read already, and this makes sure a field a schema reads some other way is cleaned as well.
 */
function cleanAll<T>(value: T): T {
  if (typeof value === 'string') return normaliseText(value) as T;
  if (Array.isArray(value)) return value.map(cleanAll) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanAll(v)])) as T;
  }
  return value;
}

/**
 * Parses a form's answers, or throws invalid_input naming each problem by the form's label for its field. Whatever
 * text it answers has been through normaliseText.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  labels: Record<string, string>,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return cleanAll(result.data);
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? '');
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ field: labels[key] ?? key, message: issue.message });
  }
  throw new EipError('invalid_input', undefined, problems);
}

/** Consent older than a year is too stale to rest a new request on. */
export const CONSENT_MAX_AGE_DAYS = 365;

export interface RequestInput {
  request: RequestDetails;
  consent?: { givenBy: string; date: string; method: ConsentMethod };
}

export const REQUEST_LABELS: Record<string, string> = {
  kind: 'Request for',
  pupilName: "Pupil's name",
  className: 'Class',
  yearGroup: 'Year group',
  needs: 'Needs areas',
  tried: 'What the school has tried already',
  asked: 'What the school is asking for',
  consentGivenBy: 'Consent given by',
  consentDate: 'Date consent given',
  consentMethod: 'How consent was given',
};

/** A request from a school, for a year group it teaches. Individual casework cannot be submitted without parental consent. */
export function parseRequest(
  input: unknown,
  today: string,
  years: readonly YearGroup[] = YEAR_GROUPS,
): RequestInput {
  const base = {
    yearGroup: oneOf(YEAR_GROUPS, 'a year group').refine((y) => years.includes(y), {
      error: 'Choose a year group your school teaches.',
    }),
    needs: multi(NEED_AREAS, 'needs area'),
    tried: text(LIMITS.text),
    asked: text(LIMITS.text),
  };
  const individual = z.object({
    kind: z.literal('individual'),
    pupilName: name(LIMITS.name, {
      unreadable: 'The name must contain letters.',
    }),
    ...base,
    consentGivenBy: name(LIMITS.name, {
      missing: 'Record who gave parental consent. Without consent the request cannot be submitted.',
      unreadable: 'The name must contain letters.',
    }),
    consentDate: day
      .refine((d) => d <= today, {
        error: 'The date consent was given cannot be in the future.',
      })
      .refine((d) => d >= addDays(today, -CONSENT_MAX_AGE_DAYS), {
        error:
          'Consent must have been given in the last 12 months. If it is older, confirm it with the family again and record the new date.',
      }),
    consentMethod: oneOf(CONSENT_METHODS, 'how consent was given'),
  });
  const wholeClass = z.object({
    kind: z.literal('class'),
    className: name(LIMITS.name, {
      unreadable: 'The name must contain letters or numbers.',
      required: false,
      digitsCount: true,
    }),
    ...base,
  });
  const kind = (input as { kind?: unknown } | undefined)?.kind;
  if (kind === 'class') {
    const v = parseWith(wholeClass, input, REQUEST_LABELS);
    return {
      request: {
        kind: 'class',
        ...(v.className ? { className: v.className } : {}),
        yearGroup: v.yearGroup,
        needs: v.needs,
        tried: v.tried,
        asked: v.asked,
      },
    };
  }
  const v = parseWith(individual, { ...(input as object), kind: 'individual' }, REQUEST_LABELS);
  return {
    request: {
      kind: 'individual',
      pupilName: v.pupilName,
      yearGroup: v.yearGroup,
      needs: v.needs,
      tried: v.tried,
      asked: v.asked,
    },
    consent: { givenBy: v.consentGivenBy, date: v.consentDate, method: v.consentMethod },
  };
}

export function parseQuestion(input: unknown): string {
  return parseWith(z.object({ question: text(LIMITS.comment) }), input, {
    question: 'Your question for the school',
  }).question;
}

export function parseAnswer(input: unknown): string {
  return parseWith(z.object({ answer: text(LIMITS.text) }), input, { answer: 'Your answer' }).answer;
}

/** The planned observation: a weekday, today or later, within a year. */
export function parseAcceptance(
  input: unknown,
  today: string,
  isSchoolDay: (day: string) => boolean = isWeekday,
): { observationDate: string } {
  const latest = addDays(today, 365);
  return parseWith(
    z.object({
      observationDate: day
        .refine((d) => d >= today, { error: 'The observation date cannot be in the past.' })
        .refine((d) => d <= latest, { error: 'Plan the observation within the next year.' })
        .refine(isWeekday, { error: 'Choose a school day, Monday to Friday: the observation is in class.' })
        .refine((d) => !isWeekday(d) || isSchoolDay(d), {
          error:
            'That day is a bank holiday or in the school holidays. Choose a day in term: the observation is in class.',
        }),
    }),
    input,
    { observationDate: 'Planned observation date' },
  );
}

/** The observation that took place and the needs agreed with the SENCo. */
export function parseAssessment(
  input: unknown,
  today: string,
  raisedOn: string,
): { observedOn: string; findings: string; needsIdentified: string } {
  return parseWith(
    z.object({
      observedOn: day
        .refine((d) => d <= today, { error: 'The observation date cannot be in the future.' })
        .refine((d) => d >= raisedOn, { error: 'The observation cannot be before the request was raised.' }),
      findings: text(LIMITS.longText),
      needsIdentified: text(LIMITS.text),
    }),
    input,
    {
      observedOn: 'Date observed',
      findings: 'Findings from the observation',
      needsIdentified: 'Needs identified',
    },
  );
}

export interface ProposalInput {
  interventions: Intervention[];
  totalPence: number;
  rationale: string;
  outcomes: string;
  reviewDate: string;
}

export const PROPOSAL_LABELS: Record<string, string> = {
  rationale: 'Rationale',
  outcomes: 'Expected outcomes',
  reviewDate: 'Review date',
};
for (let i = 1; i <= LIMITS.interventions; i += 1) {
  PROPOSAL_LABELS[`service${i}`] = `Intervention ${i}: service and provider`;
  PROPOSAL_LABELS[`otherProvider${i}`] = `Intervention ${i}: another provider's name`;
  PROPOSAL_LABELS[`sessions${i}`] = `Intervention ${i}: sessions`;
  PROPOSAL_LABELS[`unitCost${i}`] = `Intervention ${i}: cost per session or day`;
}

/** The provider half of a proposal's service choice that means "a provider not in the directory, named on the form". */
export const ANOTHER_PROVIDER = 'other';

/**
 * A proposal row's one choice of service and provider, e.g. "counselling@oakwood-counselling": a card cannot filter
 * one input by another, so the form offers only the pairs the directory's providers really offer.
 */
export const serviceValue = (type: InterventionType, providerId: string = ANOTHER_PROVIDER) =>
  `${type}@${providerId}`;

/** The parts of a service choice, or undefined when it is not one. */
export function splitServiceValue(
  value: unknown,
): { type: InterventionType; providerId: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const [type, providerId, ...rest] = value.trim().split('@');
  if (rest.length > 0 || !providerId || !(INTERVENTION_TYPES as readonly string[]).includes(type ?? '')) {
    return undefined;
  }
  return { type: type as InterventionType, providerId };
}

const sessions = z
  .union([z.string(), z.number()], { error: 'Enter the number of sessions.' })
  .transform((v) => String(v).trim())
  .refine((s) => /^\d{1,4}$/.test(s) && Number(s) >= 1 && Number(s) <= LIMITS.sessions, {
    error: `Enter a whole number of sessions from 1 to ${LIMITS.sessions}.`,
  })
  .transform(Number);

/** An amount of money in pounds, with a refusal that says what was wrong with it. */
export const pounds = (what: string, max: number = LIMITS.unitCostPence) =>
  z.union([z.string(), z.number()], { error: `Enter ${what} in pounds.` }).transform((v, ctx) => {
    const raw = String(v).trim();
    const pence = parsePounds(raw.replace(/^-/, ''));
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (raw === '') return fail(`Enter ${what} in pounds.`);
    if (/^-/.test(raw) && pence !== undefined && pence > 0)
      return fail(`${capitalise(what)} cannot be negative.`);
    if (
      pence === undefined &&
      /^£?[\d,]+(\.\d{1,2})?$/.test(raw) &&
      Number(raw.replace(/[£,]/g, '')) * 100 > max
    )
      return fail(`${capitalise(what)} can be at most ${formatPence(max)}.`);
    if (pence === undefined)
      return fail(`Enter ${what} in pounds and pence, for example 45.50 (no more than two decimal places).`);
    if (pence === 0) return fail(`${capitalise(what)} must be more than £0.`);
    if (pence > max) return fail(`${capitalise(what)} can be at most ${formatPence(max)}.`);
    return pence;
  });

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const unitCost = pounds('the cost per session or day');
const otherName = name(LIMITS.name, {
  missing: 'Name the provider, as it is not in the directory.',
  unreadable: 'The name must contain letters or numbers.',
  digitsCount: true,
});

type Service = { type: InterventionType; provider?: ProviderRecord };

/** A service choice resolved against the directory: only what an active provider offers is accepted. */
const service = (providers: readonly ProviderRecord[]) =>
  z
    .string({ error: 'Choose a service and provider.' })
    .trim()
    .min(1, { error: 'Choose a service and provider.' })
    .transform((v, ctx): Service => {
      const fail = (message: string) => {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      const choice = splitServiceValue(v);
      if (!choice) return fail('Choose a service and provider from the list.');
      if (choice.providerId === ANOTHER_PROVIDER) return { type: choice.type };
      const p = providers.find((x) => x.id === choice.providerId);
      if (!p) {
        return fail(
          'That provider is not in the directory. Choose one from the list, or choose another provider and name it.',
        );
      }
      if (!p.active) {
        return fail(`${p.name} is no longer active in the provider directory. Choose another provider.`);
      }
      if (!p.services.includes(choice.type)) {
        return fail(
          `${p.name} does not offer ${INTERVENTION_LABELS[choice.type].toLowerCase()}. Choose a provider that does.`,
        );
      }
      return { type: choice.type, provider: p };
    });

/**
 * A proposal: up to three interventions (the first required, a row left wholly blank is skipped), and the case for
 * them. A directory provider's rate comes from the directory, whatever the card says; another provider needs a name
 * and a cost.
 */
export function parseProposal(
  input: unknown,
  today: string,
  providers: readonly ProviderRecord[],
): ProposalInput {
  const raw = (input ?? {}) as Record<string, unknown>;
  const blank = (v: unknown) => v === undefined || v === null || String(v).trim() === '';
  const shape: Record<string, z.ZodType> = {
    rationale: text(LIMITS.text),
    outcomes: text(LIMITS.text),
    reviewDate: day
      .refine((d) => d > today, { error: 'The review date must be after today.' })
      .refine((d) => d <= addDays(today, 550), { error: 'Set a review date within 18 months.' }),
  };
  const rows: number[] = [];
  for (let i = 1; i <= LIMITS.interventions; i += 1) {
    const fields = [`service${i}`, `otherProvider${i}`, `sessions${i}`, `unitCost${i}`];
    if (i > 1 && fields.every((f) => blank(raw[f]))) continue;
    rows.push(i);
    // Only another provider is named and priced on the form; a directory provider's name and cost are ignored if sent.
    const other = splitServiceValue(raw[`service${i}`])?.providerId === ANOTHER_PROVIDER;
    shape[`service${i}`] = service(providers);
    if (other) shape[`otherProvider${i}`] = otherName;
    shape[`sessions${i}`] = sessions;
    if (other) shape[`unitCost${i}`] = unitCost;
  }
  const v = parseWith(z.object(shape), raw, PROPOSAL_LABELS) as Record<string, unknown>;
  const interventions = rows.map((i): Intervention => {
    const { type, provider } = v[`service${i}`] as Service;
    const sessions = v[`sessions${i}`] as number;
    return provider
      ? {
          type,
          provider: provider.name,
          providerId: provider.id,
          sessions,
          unitCostPence: provider.ratePence,
          ...(provider.rateUnit === 'day' ? { unit: 'day' as const } : {}),
        }
      : {
          type,
          provider: v[`otherProvider${i}`] as string,
          sessions,
          unitCostPence: v[`unitCost${i}`] as number,
        };
  });
  return {
    interventions,
    totalPence: interventions.reduce((sum, x) => sum + x.sessions * x.unitCostPence, 0),
    rationale: v.rationale as string,
    outcomes: v.outcomes as string,
    reviewDate: v.reviewDate as string,
  };
}

/** A panel vote. A comment is required to decline or ask for changes, so the co-ordinator knows why. */
export function parseVote(input: unknown): { choice: VoteChoice; comment: string } {
  const v = parseWith(
    z.object({
      choice: oneOf(VOTE_CHOICES, 'approve, decline or request changes'),
      comment: text(LIMITS.comment, false).default(''),
    }),
    input,
    { choice: 'Vote', comment: 'Comment' },
  );
  if (v.choice !== 'approve' && v.comment === '') {
    throw new EipError('invalid_input', undefined, [
      { field: 'Comment', message: 'Say why, so the co-ordinator knows what to change.' },
    ]);
  }
  return v;
}
