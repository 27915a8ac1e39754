import { EipError } from '../../domain';
import type { Handler } from '../handlers/context';

export const budget: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
export const budgetForm: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
export const saveBudget: Handler = async () => {
  throw new EipError('forbidden', 'Not built yet.');
};
