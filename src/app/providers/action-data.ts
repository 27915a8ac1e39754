// The provider directory's button data, parsed at the edge. It names which provider and which version of it the card
// showed; it never decides a rate, a name or who may change them.
import { z } from 'zod';
import { EipError } from '../../domain';

const providerId = z.string().trim().min(1).max(80);

function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw new EipError('moved_on', 'That card is out of date. Type help to start again.');
  return r.data;
}

/** The provider a form edits and the version it was opened on; neither for a new provider. */
export const editRef = (data: unknown): { providerId: string; eTag: string } | undefined =>
  parse(
    z
      .object({ providerId: providerId.optional(), eTag: z.string().min(1).max(200).optional() })
      .refine((v) => (v.providerId === undefined) === (v.eTag === undefined))
      .transform((v) => (v.providerId && v.eTag ? { providerId: v.providerId, eTag: v.eTag } : undefined)),
    data,
  );

/** Deactivate (active false) or reactivate (active true) a provider. */
export const activeRef = (data: unknown) =>
  parse(
    z.object({
      providerId,
      active: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
    }),
    data,
  );
