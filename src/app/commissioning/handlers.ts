import { EipError } from '../../domain';
import type { Handler } from '../handlers/context';

export const commission: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
export const spend: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
