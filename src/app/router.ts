// The application's front door: resolves who is acting, dispatches verbs and commands to their handlers, and is
// the one boundary where errors become friendly cards.
import { randomUUID } from 'node:crypto';
import { EipError, isEipError } from '../domain';
import { GROUP_VERBS, isVerb, noticeCard, type Card, type Verb } from '../cards';
import { isStoreError } from '../store/store';
import { commandWord, runCommand } from './commands';
import { Deadline } from './deadline';
import { resolveActor, type Actor } from './identity';
import { rememberPerson } from './messenger';
import type { ActionRequest, AppDeps, FileRequest, Incoming, TextRequest } from './ports';
import type { Ctx, Handler } from './handlers/context';
import { help, menu } from './handlers/help';
import { mayOpen, myCases } from './handlers/my-cases';
import { newRequest, submitRequest } from './handlers/request';
import { openCase, showCase, showForm } from './handlers/open-case';
import { accept, resubmit, returnCase, withdraw } from './handlers/triage';
import { assess } from './handlers/assess';
import { propose } from './handlers/propose';
import { panelRefresh, vote } from './handlers/vote';
import { commission, spend } from './commissioning/handlers';
import { moveReviews, recordOutcome } from './reviews/handlers';
import { close, reopen } from './closure/handlers';
import { budget, budgetForm, saveBudget } from './budget/handlers';
import { providerForm, providers, saveProvider, setProviderActive } from './providers/handlers';
import { agenda } from './reminders/handlers';
import { repostPanel } from './handlers/repost';
import { history } from './handlers/history';
import { report, reportCsv, reportForm } from './reports/handlers';
import { audit } from './records';
import { cancelMeeting, meetingForm, moveMeeting, saveMeeting } from './panel/meetings';
import { awayForm, endAway, saveAway } from './panel/away';
import { attachFile, caseFiles, openFile, receiveFile } from './files/handlers';
import {
  openTransfer,
  transfer,
  transferForm,
  transitions,
  withdrawTransfer,
  withdrawTransferForm,
} from './transitions/handlers';

const HANDLERS: Record<Verb, Handler> = {
  help,
  myCases,
  newRequest,
  submitRequest,
  openCase,
  showForm,
  returnCase,
  resubmit,
  accept,
  assess,
  propose,
  withdraw,
  vote,
  panelView: panelRefresh,
  commission,
  spend,
  moveReviews,
  recordOutcome,
  close,
  reopen,
  budget,
  budgetForm,
  saveBudget,
  providers,
  providerForm,
  saveProvider,
  setProviderActive,
  agenda,
  repostPanel,
  history,
  reportForm,
  report,
  reportCsv,
  meetingForm,
  saveMeeting,
  cancelMeeting,
  moveMeeting,
  awayForm,
  saveAway,
  endAway,
  attachFile,
  caseFiles,
  openFile,
  transferForm,
  transfer,
  openTransfer,
  transitions,
  withdrawTransferForm,
  withdrawTransfer,
};

export interface RouterOptions {
  /** How long a pressed button waits for its action before answering "still working" (default 7 s). */
  invokeDeadlineMs?: number;
}

/** What someone tried, for the audit of a refusal: a verb or command word, and the case the button names. */
interface Attempt {
  action: string;
  caseId?: unknown;
}

/**
 * An unexpected error as the log may keep it. A filesystem error's message names its path (ENAMETOOLONG, EACCES,
 * ENOSPC: "…open '/data/files/EIP-2026-0001/Sam Smith EHCP.pdf'"), and a path may carry a pupil's name: such an
 * error is logged by its code and system call, and its stack without the message line.
 */
export function loggable(e: unknown): Record<string, unknown> | string {
  if (!(e instanceof Error)) return String(e);
  const sys = e as NodeJS.ErrnoException & { dest?: unknown };
  if (sys.path === undefined && sys.dest === undefined)
    return { name: e.name, message: e.message, stack: e.stack };
  return {
    name: e.name,
    code: sys.code,
    syscall: sys.syscall,
    stack: (e.stack ?? '').split('\n').slice(1).join('\n'),
  };
}

export class Router {
  private readonly deadline: Deadline;

  constructor(
    private readonly deps: AppDeps,
    options: RouterOptions = {},
  ) {
    this.deadline = new Deadline(deps, (req) => this.action(req), options.invokeDeadlineMs);
  }

  /**
   * A button pressed in Teams, which waits about ten seconds for the answer: by the deadline it is answered "still
   * working", and the action's card goes to the person's chat when it is done.
   */
  async invoke(req: ActionRequest): Promise<Card> {
    return this.deadline.answer(req);
  }

  /** Resolves when the actions still running after their answer have finished, so the store can then be closed. */
  async settled(): Promise<void> {
    return this.deadline.settled();
  }

  /** A card button (Action.Execute or the Action.Submit fallback). */
  async action(req: ActionRequest): Promise<Card> {
    const tried = { action: isVerb(req.verb) ? req.verb : 'unknown-button', caseId: req.data.caseId };
    return this.guard(req, tried, async (actor) => {
      if (!isVerb(req.verb))
        throw new EipError(
          'moved_on',
          'That button is from an older version of EIP bot. Type help to start again.',
        );
      if (req.conversationType !== 'personal' && !GROUP_VERBS.includes(req.verb))
        throw new EipError('private_only');
      this.deps.log.info({ verb: req.verb, actor: actor.person.aadObjectId }, 'card action');
      const ctx = { deps: this.deps, actor, req };
      try {
        return await HANDLERS[req.verb](ctx);
      } catch (e) {
        return this.caseWithRefusal(ctx, e);
      }
    });
  }

  /**
   * A refusal of a button on a case (someone else's step, or a case that has moved on) comes back on the case card
   * as it now stands, so the person keeps it in view; anything else goes to the friendly-error boundary.
   */
  private async caseWithRefusal(ctx: Ctx, e: unknown): Promise<Card> {
    const caseId = ctx.req.data.caseId;
    if (!isEipError(e) || e.code === 'invalid_input' || ctx.req.conversationType !== 'personal') throw e;
    if (typeof caseId !== 'string') throw e;
    const found = await this.deps.store.cases.get(caseId);
    if (!found || !mayOpen(ctx.actor.person, found.value)) throw e;
    const card = await showCase(ctx, found.value, { text: e.message, tone: 'warning' });
    await this.auditRefusal(ctx.req, ctx.actor, { action: ctx.req.verb, caseId }, e);
    return card;
  }

  /** A typed message. */
  async text(req: TextRequest): Promise<Card> {
    return this.guard(req, { action: commandWord(req.text) }, (actor) => runCommand(this.deps, actor, req));
  }

  /** A file sent to the bot (1:1 chats only: documents carry names): checked, then a card asks which case. */
  async file(req: FileRequest): Promise<Card> {
    return this.guard(req, { action: 'send-file' }, async (actor) => {
      if (req.conversationType !== 'personal') throw new EipError('private_only');
      return receiveFile(this.deps, actor, req);
    });
  }

  /** The bot was installed or the person was added: remember how to reach them, and say hello. */
  async installed(incoming: Incoming): Promise<Card | undefined> {
    if (incoming.conversationType !== 'personal') return undefined;
    return this.guard(incoming, { action: 'install' }, async (actor) =>
      menu(this.deps, actor, { showPeople: true }),
    );
  }

  /** Remembers how to reach whoever is in this conversation, without answering. */
  async seen(incoming: Incoming): Promise<void> {
    await rememberPerson(this.deps, incoming, await this.identify(incoming));
  }

  /** The directory person behind an activity, or undefined for someone the directory does not know. */
  private async identify(incoming: Incoming): Promise<Actor | undefined> {
    try {
      return await resolveActor(this.deps, incoming.aadObjectId);
    } catch (e) {
      if (isEipError(e)) return undefined;
      throw e;
    }
  }

  private async guard(
    incoming: Incoming,
    tried: Attempt,
    run: (actor: Actor) => Promise<Card>,
  ): Promise<Card> {
    let actor: Actor | undefined;
    try {
      actor = await this.identify(incoming);
      await rememberPerson(this.deps, incoming, actor);
      if (!actor) throw new EipError('not_in_directory');
      return await run(actor);
    } catch (e) {
      if (isEipError(e)) await this.auditRefusal(incoming, actor, tried, e);
      return this.friendly(e, incoming.conversationType === 'personal');
    }
  }

  /**
   * Every refusal is audited: who tried what (a verb or command word, never what they typed), on which case when it
   * is one we hold, and the refusal's code. A trail that cannot be written does not hide the refusal from the person.
   */
  private async auditRefusal(incoming: Incoming, actor: Actor | undefined, tried: Attempt, e: EipError) {
    try {
      const id = typeof tried.caseId === 'string' ? tried.caseId : undefined;
      const known = id && (await this.deps.store.cases.get(id)) ? id : undefined;
      const who = actor ?? (incoming.aadObjectId ?? 'unknown').slice(0, 80);
      await audit(this.deps, who, tried.action, known, e.code, { outcome: 'refused' });
    } catch (err) {
      this.deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'refusal not audited');
    }
  }

  private friendly(e: unknown, personal: boolean): Card {
    if (isEipError(e)) {
      this.deps.log.info({ code: e.code }, 'refused');
      return noticeCard({
        title: e.title,
        text: e.message === e.title ? '' : e.message,
        tone: 'warning',
        problems: e.problems,
        actions: [
          { title: 'Help', verb: 'help', data: {} },
          ...(personal ? [{ title: 'My cases', verb: 'myCases' as const, data: {} }] : []),
        ],
      });
    }
    if (isStoreError(e, 'busy')) {
      this.deps.log.warn({ code: 'busy' }, 'store busy');
      return noticeCard({
        title: 'EIP bot is busy',
        text: 'The records are busy for a moment and nothing was changed. Please try again in a few seconds.',
        tone: 'warning',
      });
    }
    const ref = randomUUID().slice(0, 8);
    this.deps.log.error({ err: loggable(e), ref }, 'unexpected error');
    return noticeCard({
      title: 'Something went wrong on our side',
      text: `Please try again. If it keeps happening, tell the EIP co-ordinator and quote ${ref}.`,
      tone: 'attention',
    });
  }

  /** An activity the bot edge refused (another tenant, another channel): audited, never answered with data. */
  async refused(reason: string, claimedId?: string): Promise<void> {
    await this.deps.store.audit.append({
      // An id someone claimed is kept short: it is whatever the sender put there.
      at: this.deps.now().toISOString(),
      actor: (claimedId ?? 'unknown').slice(0, 80),
      action: 'refused-activity',
      detail: reason,
      outcome: 'refused',
    });
  }
}
