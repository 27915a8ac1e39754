import { hasRole, mayRaise, type Directory, type Person, type Role } from '../../domain';
import { action, helpCard, type Card, type CardAction } from '../../cards';
import type { Actor } from '../identity';
import type { Handler } from './context';
import type { AppDeps } from '../ports';
import { panelChat } from '../messenger';

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

export interface MenuOptions {
  /** A group chat: pupils are never named there, so it offers nothing but pointers. */
  inGroup?: boolean;
  /** List the directory's people, for `act as` (local mode, on `help` only). */
  showPeople?: boolean;
  /** A line above the menu, such as who the person is now acting as. */
  lead?: string;
}

const ABOUT =
  'EIP bot runs the Education Inclusion Partnership: requests for early support, the panel’s decisions, and outcome reviews.';

/** The menu for this person's roles. */
export async function menu(deps: AppDeps, actor: Actor, options: MenuOptions = {}): Promise<Card> {
  const { directory, local } = deps;
  const p = actor.person;
  // Nobody need be told how to register the panel's chat once it is registered.
  const panelRegistered = hasRole(p, 'coordinator', 'admin') && (await panelChat(deps)) !== undefined;
  const actions: CardAction[] = [];
  const tips: string[] = [];
  if (options.lead) tips.push(options.lead);
  if (options.inGroup) {
    tips.push(
      'This is a group chat, so pupils are never named here. Proposals for the panel appear here for its members to vote on; requests and cases open in your 1:1 chat with EIP bot.',
    );
    if (hasRole(p, 'coordinator', 'admin') && !panelRegistered)
      tips.push("To make this the panel's chat, mention EIP bot and type 'panel here'.");
  } else {
    tips.push(ABOUT);
    if (mayRaise(p)) {
      actions.push(action('Raise a request for a pupil', 'newRequest', { kind: 'individual' }));
      actions.push(action('Raise a request for a whole class', 'newRequest', { kind: 'class' }));
    }
    actions.push(action('My cases', 'myCases'));
    if (hasRole(p, 'coordinator', 'admin')) actions.push(action('Budget', 'budget'));
    if (hasRole(p, 'coordinator', 'admin')) actions.push(action('Providers', 'providers'));
    if (hasRole(p, 'coordinator')) actions.push(action("Providers' meeting agenda", 'agenda'));
    // Children in the last year of their phase: reminded in the summer term, listed here at any time.
    if (hasRole(p, 'coordinator')) actions.push(action('Transitions', 'transitions'));
    // LA-wide for the co-ordinator and admins; a head's or SENCo's own school for them (src/app/reports/access.ts).
    if (hasRole(p, 'coordinator', 'admin') || (hasRole(p, 'head', 'senco') && p.schoolId))
      actions.push(action('Report', 'reportForm'));
    // Panel cycles and substitutes: a member names who votes while they are away; an admin sets the meeting dates.
    if (hasRole(p, 'panel')) actions.push(action("I'm away", 'awayForm'));
    if (hasRole(p, 'admin')) actions.push(action('Meetings', 'meetingForm'));
    if (hasRole(p, 'coordinator', 'admin') && !panelRegistered)
      tips.push("To send proposals to the panel, type 'panel here' in the panel's group chat.");
    if (hasRole(p, 'panel'))
      tips.push(
        "Proposals arrive in the panel's group chat for your vote. Away? Type 'away' to name a head not on the panel to vote for you.",
      );
    if (hasRole(p, 'admin'))
      tips.push(
        "Type 'meetings' to set the panel's meeting dates, or 'away' to name a substitute for a member.",
      );
  }
  if (local && options.showPeople) {
    tips.push("Local mode: type 'act as NAME' to play someone else, and 'act as me' to stop. People:");
    for (const o of directory.people) tips.push(`• ${o.name}: ${describe(o, directory)}`);
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

export const help: Handler = async ({ deps, actor, req }) =>
  menu(deps, actor, { inGroup: req.conversationType !== 'personal', showPeople: true });
