import { EipError, type CaseRecord, type FieldProblem } from '../../domain';
import type { Card } from '../../cards';
import type { Values } from '../forms';
import type { Ctx } from '../handlers/context';

export async function closeForm(
  _ctx: Ctx,
  _c: CaseRecord,
  _subject: string,
  _values: Values,
  _problems: FieldProblem[],
): Promise<Card> {
  throw new EipError('forbidden', 'Not built yet.');
}
export async function reopenForm(
  _ctx: Ctx,
  _c: CaseRecord,
  _subject: string,
  _values: Values,
  _problems: FieldProblem[],
): Promise<Card> {
  throw new EipError('forbidden', 'Not built yet.');
}
