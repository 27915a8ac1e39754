// Closing a case with a reason, and reopening it once.
import { z } from 'zod';
import { CLOSURE_REASONS, type ClosureReason } from './types';
import { LIMITS, oneOf, parseWith, text } from './validation';

export function parseClosure(input: unknown): { reason: ClosureReason; note: string } {
  return parseWith(
    z.object({ reason: oneOf(CLOSURE_REASONS, 'why the case is closing'), note: text(LIMITS.text) }),
    input,
    { reason: 'Reason for closing', note: 'Closing note' },
  );
}

export function parseReopen(input: unknown): { reason: string } {
  return parseWith(z.object({ reason: text(LIMITS.comment) }), input, { reason: 'Why reopen it' });
}
