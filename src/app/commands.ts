// Typed commands: help, my cases, budget, report, transitions, panel here, act as, meetings (the admin's panel dates),
// away (a panel member's substitute), and the admin's subject access and retention. Everything else is reachable from
// buttons.
import { EipError, hasRole } from '../domain';
import { noticeCard, type Card } from '../cards';
import { resolveActor, setActingAs, type Actor } from './identity';
import { rememberPanelChat } from './messenger';
import { audit } from './records';
import { menu } from './handlers/help';
import { workTray } from './handlers/my-cases';
import { budgetCommand } from './budget/handlers';
import { retentionCommand, subjectAccessCommand } from './privacy/commands';
import { reportCommand } from './reports/handlers';
import { transitionList } from './transitions/handlers';
import type { AppDeps, TextRequest } from './ports';
import { meetingsCommand } from './panel/meetings';
import { awayCommand } from './panel/away';

/** Teams puts "<at>EIP bot</at>" in group-chat messages; commands ignore it, and spacing too. */
export function withoutMention(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function runCommand(deps: AppDeps, actor: Actor, req: TextRequest): Promise<Card> {
  const raw = withoutMention(req.text);
  const cmd = raw.toLowerCase();
  const inGroup = req.conversationType !== 'personal';
  if (cmd === 'help' || cmd === '' || cmd === 'hi' || cmd === 'hello' || cmd === 'menu')
    return menu(deps, actor, { inGroup, showPeople: true });
  if (cmd === 'my cases' || cmd === 'cases') {
    if (inGroup) throw new EipError('private_only');
    return workTray(deps, actor);
  }
  if (cmd === 'budget' || cmd.startsWith('budget ')) {
    if (inGroup) throw new EipError('private_only');
    return budgetCommand(deps, actor, cmd.slice('budget'.length).trim());
  }
  if (cmd === 'report' || cmd === 'reports') {
    if (inGroup) throw new EipError('private_only');
    return reportCommand(deps, actor);
  }
  if (cmd === 'transitions' || cmd === 'transition') {
    if (inGroup) throw new EipError('private_only');
    return transitionList(deps, actor);
  }
  if (cmd === 'panel here') return panelHere(deps, actor, req);
  if (cmd === 'meetings' || cmd.startsWith('meetings ') || cmd.startsWith('meeting ')) {
    if (inGroup) throw new EipError('private_only');
    return meetingsCommand(deps, actor, raw.replace(/^meetings?\s*/i, '').trim());
  }
  if (cmd === 'away' || cmd === "i'm away" || cmd === 'i’m away' || cmd === 'im away') {
    if (inGroup) throw new EipError('private_only');
    return awayCommand(deps, actor);
  }
  if (cmd.startsWith('act as ')) return actAs(deps, actor, req, raw.slice('act as '.length).trim());
  if (cmd === 'subject access' || cmd.startsWith('subject access '))
    return subjectAccessCommand(deps, actor, req, raw.slice('subject access'.length).trim());
  if (cmd === 'retention') return retentionCommand(deps, actor, req);
  return noticeCard({
    title: "Sorry, I didn't understand that.",
    text: "Type 'help' for the menu, or 'my cases' for your work tray.",
    actions: [{ title: 'Help', verb: 'help', data: {} }],
  });
}

/** Which command a message is, as the audit trail names it: never what was typed after the command's words. */
export function commandWord(text: string): string {
  const cmd = withoutMention(text).toLowerCase();
  if (['', 'help', 'hi', 'hello', 'menu'].includes(cmd)) return 'help';
  if (cmd === 'cases') return 'my cases';
  if (cmd === 'reports') return 'report';
  if (cmd === 'meeting' || cmd.startsWith('meeting ')) return 'meetings';
  if (cmd === "i'm away" || cmd === 'i’m away' || cmd === 'im away') return 'away';
  if (cmd === 'transition') return 'transitions';
  const known = [
    'my cases',
    'budget',
    'report',
    'transitions',
    'panel here',
    'act as',
    'subject access',
    'retention',
    'meetings',
    'away',
  ];
  return known.find((k) => cmd === k || cmd.startsWith(`${k} `)) ?? 'unknown-command';
}

async function panelHere(deps: AppDeps, actor: Actor, req: TextRequest): Promise<Card> {
  if (!hasRole(actor.person, 'coordinator', 'admin')) {
    throw new EipError('forbidden', "Only the EIP co-ordinator or an admin can choose the panel's chat.");
  }
  if (req.conversationType === 'personal') {
    throw new EipError(
      'forbidden',
      "Type 'panel here' in the panel's group chat or channel, not in a 1:1 chat.",
    );
  }
  await rememberPanelChat(deps, req);
  await audit(deps, actor, 'panel-here', undefined, `panel chat set (${req.conversationType})`);
  return noticeCard({
    title: "This is now the EIP panel's chat",
    text: 'Proposals will be posted here for the panel to vote on. Pupils are never named here.',
    tone: 'good',
  });
}

async function actAs(deps: AppDeps, actor: Actor, req: TextRequest, name: string): Promise<Card> {
  if (!deps.local)
    throw new EipError(
      'not_local',
      "'act as' only works in local mode. In production everyone acts as themselves.",
    );
  const realId = actor.realId;
  const lowered = name.toLowerCase();
  if (lowered === 'me' || lowered === 'myself') {
    await setActingAs(deps, realId, undefined);
    await audit(deps, actor, 'act-as', undefined, 'stopped acting as another person');
  } else {
    const target = deps.directory.findByName(name);
    if (!target) {
      throw new EipError(
        'not_found',
        `There's nobody called "${name}" in the directory. Type 'help' to see who you can act as.`,
      );
    }
    await setActingAs(deps, realId, target);
    await audit(deps, actor, 'act-as', undefined, `now acting as ${target.aadObjectId}`);
  }
  const now = await resolveActor(deps, req.aadObjectId);
  return menu(deps, now, {
    inGroup: req.conversationType !== 'personal',
    lead: now.actingAs ? `You're now acting as ${now.person.name}.` : "You're yourself again.",
  });
}
