// Card data parsed into typed values at the edge: nothing untyped travels inward, and nothing about identity,
// role, school or money is ever read from it.
import { z } from 'zod';
import { EipError } from '../domain';
import { CASE_FORMS } from '../cards';

const caseId = z.string().trim().min(1).max(80);

function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw new EipError('moved_on', 'That card is out of date. Type help to start again.');
  return r.data;
}

export const caseRef = (data: unknown) => parse(z.object({ caseId }), data);
export const formRef = (data: unknown) => parse(z.object({ caseId, form: z.enum(CASE_FORMS) }), data);
export const kindRef = (data: unknown) => parse(z.object({ kind: z.enum(['individual', 'class']) }), data);
/** A request form's own id, which becomes the case's id, so a second click cannot raise the request twice. */
export const requestRef = (data: unknown) =>
  parse(z.object({ kind: z.enum(['individual', 'class']), formId: z.uuid().optional() }), data);
export const panelRef = (data: unknown) =>
  parse(z.object({ caseId, round: z.coerce.number().int().min(1) }), data);
