// Who may run which impact report, from the directory only (never from card data): the LA's admins and the EIP
// co-ordinator may run any report, LA-wide or for one school; a head teacher or SENCo only their own school's, whatever
// the card asked for; anyone else, none.
import { EipError, hasRole, type Person } from '../../domain';
import type { ReportFilter } from '../../domain/report-types';

export type ReportScope = { kind: 'la' } | { kind: 'school'; schoolId: string };

/** What this person may report on; refused for anyone else. */
export function reportScope(p: Person): ReportScope {
  if (hasRole(p, 'admin', 'coordinator')) return { kind: 'la' };
  if (hasRole(p, 'head', 'senco') && p.schoolId) return { kind: 'school', schoolId: p.schoolId };
  throw new EipError(
    'forbidden',
    'Impact reports are for the EIP co-ordinator, the LA’s admins, and head teachers and SENCos for their own school.',
  );
}

/**
 * The filter as this person may run it: an LA-wide role keeps the school asked for (or none: all schools); a school's
 * own report is always for that school, and asking for another school is refused.
 */
export function scopedFilter(scope: ReportScope, wanted: ReportFilter): ReportFilter {
  if (scope.kind === 'la') return wanted;
  if (wanted.schoolId !== undefined && wanted.schoolId !== scope.schoolId)
    throw new EipError('forbidden', 'You can run the report for your own school only.');
  return { ...wanted, schoolId: scope.schoolId };
}
