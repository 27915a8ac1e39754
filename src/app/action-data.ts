// Card data parsed into typed values at the edge: nothing untyped travels inward, and nothing about identity,
// role, school or money is ever read from it.
import { z } from 'zod';
import { EipError, REVIEW_KINDS } from '../domain';
import { CASE_FORMS } from '../cards';

const caseId = z.string().trim().min(1).max(80);

function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw new EipError('moved_on', 'That card is out of date. Type help to start again.');
  return r.data;
}

export const caseRef = (data: unknown) => parse(z.object({ caseId }), data);
export const formRef = (data: unknown) =>
  parse(z.object({ caseId, form: z.enum(CASE_FORMS), review: z.enum(REVIEW_KINDS).optional() }), data);
/** A provider's directory id, where a button names one. */
export const providerRef = (data: unknown) =>
  parse(z.object({ providerId: z.string().trim().min(1).max(80).optional() }), data);
/** A financial year such as 2026-27, where a button names one. */
export const yearRef = (data: unknown) =>
  parse(
    z.object({
      year: z
        .string()
        .regex(/^\d{4}-\d{2}$/)
        .optional(),
    }),
    data,
  );
export const kindRef = (data: unknown) => parse(z.object({ kind: z.enum(['individual', 'class']) }), data);
/** A request form's own id, which becomes the case's id, so a second click cannot raise the request twice. */
export const requestRef = (data: unknown) =>
  parse(z.object({ kind: z.enum(['individual', 'class']), formId: z.uuid().optional() }), data);
export const panelRef = (data: unknown) =>
  parse(z.object({ caseId, round: z.coerce.number().int().min(1) }), data);
