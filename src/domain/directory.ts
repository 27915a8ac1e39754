// The LA's directory of schools and people, loaded from EIP_DIRECTORY and checked before the bot starts.
import { z } from 'zod';
import { PHASES, ROLES, type Person, type School } from './types';
import { DEFAULT_PANEL_RULE, type PanelRule } from './panel-rule';

const school = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be lower-case letters, digits and dashes' }),
  name: z.string().trim().min(1, { error: 'is required' }).max(200),
  phase: z.enum(PHASES, { error: `must be one of ${PHASES.join(', ')}` }),
});

const person = z
  .object({
    aadObjectId: z.string().trim().min(1, { error: 'is required' }).max(64),
    name: z.string().trim().min(1, { error: 'is required' }).max(200),
    email: z.email({ error: 'must be an email address' }),
    roles: z
      .array(z.enum(ROLES, { error: `must each be one of ${ROLES.join(', ')}` }), {
        error: 'must be a list of roles',
      })
      .min(1, { error: 'must name at least one role' }),
    schoolId: z.string().trim().min(1).optional(),
  })
  .refine(
    (p) => p.schoolId !== undefined || !p.roles.some((r) => r === 'senco' || r === 'head' || r === 'panel'),
    {
      error: 'is required for a senco, head or panel member',
      path: ['schoolId'],
    },
  );

const directorySchema = z.object({
  schools: z.array(school, { error: 'must be a list' }).min(1, { error: 'must list at least one school' }),
  people: z.array(person, { error: 'must be a list' }).min(1, { error: 'must list at least one person' }),
  panel: z
    .object({ quorum: z.number().int({ error: 'must be a whole number' }).min(1).max(50) })
    .default(DEFAULT_PANEL_RULE),
});

/** Schools, people and the panel rule, with quick look-ups. */
export class Directory {
  readonly schools: readonly School[];
  readonly people: readonly Person[];
  readonly panel: PanelRule;
  private readonly byId: Map<string, Person>;
  private readonly schoolById: Map<string, School>;

  constructor(schools: School[], people: Person[], panel: PanelRule) {
    this.schools = schools;
    this.people = people;
    this.panel = panel;
    this.byId = new Map(people.map((p) => [p.aadObjectId.toLowerCase(), p]));
    this.schoolById = new Map(schools.map((s) => [s.id, s]));
  }

  person(aadObjectId: string | undefined): Person | undefined {
    return aadObjectId ? this.byId.get(aadObjectId.toLowerCase()) : undefined;
  }

  school(id: string | undefined): School | undefined {
    return id ? this.schoolById.get(id) : undefined;
  }

  schoolName(id: string): string {
    return this.school(id)?.name ?? id;
  }

  /** Finds a person by name (case-insensitive), for `act as`. */
  findByName(name: string): Person | undefined {
    const wanted = name.trim().toLowerCase();
    return this.people.find((p) => p.name.toLowerCase() === wanted);
  }

  withRole(role: Person['roles'][number]): Person[] {
    return this.people.filter((p) => p.roles.includes(role));
  }
}

/** Thrown with one line that names the entry and field at fault. */
export class DirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryError';
  }
}

function where(path: readonly PropertyKey[], raw: unknown): string {
  const [list, index, field] = path;
  if (typeof list === 'string' && typeof index === 'number') {
    const entry = (raw as Record<string, unknown[]>)[list]?.[index] as Record<string, unknown> | undefined;
    const label = entry?.name ?? entry?.id ?? entry?.aadObjectId;
    const name = typeof label === 'string' ? ` ("${label}")` : '';
    return `${list}[${index}]${name}${field !== undefined ? ` field "${String(field)}"` : ''}`;
  }
  return path.map(String).join('.') || 'the file';
}

/** Checks a parsed JSON directory; throws DirectoryError naming the first entry and field at fault. */
export function parseDirectory(raw: unknown): Directory {
  const result = directorySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DirectoryError(`${where(issue.path, raw)} ${issue.message}`);
  }
  const d = result.data;
  const schoolIds = new Set<string>();
  d.schools.forEach((s, i) => {
    if (schoolIds.has(s.id))
      throw new DirectoryError(`schools[${i}] ("${s.name}") field "id" repeats "${s.id}"`);
    schoolIds.add(s.id);
  });
  const ids = new Set<string>();
  d.people.forEach((p, i) => {
    const key = p.aadObjectId.toLowerCase();
    if (ids.has(key))
      throw new DirectoryError(`people[${i}] ("${p.name}") field "aadObjectId" repeats another person's`);
    ids.add(key);
    if (p.schoolId !== undefined && !schoolIds.has(p.schoolId)) {
      throw new DirectoryError(
        `people[${i}] ("${p.name}") field "schoolId" names no school in the directory: "${p.schoolId}"`,
      );
    }
  });
  const people: Person[] = d.people.map((p) => ({
    aadObjectId: p.aadObjectId,
    name: p.name,
    email: p.email,
    roles: [...new Set(p.roles)],
    ...(p.schoolId !== undefined ? { schoolId: p.schoolId } : {}),
  }));
  return new Directory(d.schools, people, d.panel);
}
