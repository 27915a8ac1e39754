import { EipError } from '../../domain';
import type { Handler } from '../handlers/context';

export const close: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
export const reopen: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
