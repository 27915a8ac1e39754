import { EipError } from '../../domain';
import type { Handler } from '../handlers/context';

export const providers: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
export const providerForm: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
export const saveProvider: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
export const setProviderActive: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
