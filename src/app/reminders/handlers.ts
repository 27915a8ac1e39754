import { EipError, hasRole } from '../../domain';
import { today, type Handler } from '../handlers/context';
import { agendaCardFor } from './agenda';

/** The providers' meeting agenda on demand, as the monthly reminder sends it. */
export const agenda: Handler = async (ctx) => {
  const me = ctx.actor.person;
  if (!hasRole(me, 'coordinator'))
    throw new EipError('forbidden', "The providers' meeting agenda is for the EIP co-ordinator.");
  return agendaCardFor(ctx.deps, today(ctx), me.aadObjectId);
};
