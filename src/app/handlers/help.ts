import { hasRole, mayRaise, type Directory, type Person, type Role } from '../../domain';
import { action, helpCard, type Card, type CardAction } from '../../cards';
import type { Actor } from '../identity';
import type { Handler } from './context';

const ROLE_NAMES: Record<Role, string> = {
  senco: 'SENCo',
  head: 'head teacher',
  panel: 'panel member',
  coordinator: 'EIP co-ordinator',
  admin: 'LA administrator',
};

export function describe(p: Person, directory: Directory): string {
  const roles = p.roles.map((r) => ROLE_NAMES[r]).join(', ');
  const school = directory.school(p.schoolId);
  return school ? `${roles}, ${school.name}` : roles;
}

/** The menu for this person's roles. */
export function menu(actor: Actor, directory: Directory, local: boolean): Card {
  const p = actor.person;
  const actions: CardAction[] = [];
  if (mayRaise(p)) {
    actions.push(action('Raise a request for a pupil', 'newRequest', { kind: 'individual' }));
    actions.push(action('Raise a request for a whole class', 'newRequest', { kind: 'class' }));
  }
  actions.push(action('My cases', 'myCases'));
  const tips: string[] = [];
  if (hasRole(p, 'coordinator', 'admin'))
    tips.push("To send proposals to the panel, type 'panel here' in the panel's group chat.");
  if (hasRole(p, 'panel')) tips.push("Proposals arrive in the panel's group chat for your vote.");
  if (local) {
    const others = directory.people.map((o) => `${o.name} (${describe(o, directory)})`).join('; ');
    tips.push(
      `Local mode: type 'act as NAME' to play someone else, and 'act as me' to stop. People: ${others}.`,
    );
  }
  return helpCard({
    name: p.name,
    rolesLine: `You're signed in as ${describe(p, directory)}.`,
    ...(actor.actingAs
      ? { actingLine: `Local mode: you're acting as ${p.name}. Type 'act as me' to stop.` }
      : {}),
    tips,
    actions,
  });
}

export const help: Handler = async ({ deps, actor }) => menu(actor, deps.directory, deps.local);
