import { EipError } from '../../domain';
import type { Handler } from '../handlers/context';

export const moveReviews: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
export const recordOutcome: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
