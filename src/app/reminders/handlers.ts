import { EipError } from '../../domain';
import type { Handler } from '../handlers/context';

export const agenda: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
