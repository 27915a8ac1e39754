// Answers a pressed button in time. Teams waits about ten seconds for the answer to an invoke, then shows the person
// an error and may send the same invoke again. When the store is slow, the action is answered by a deadline with a
// card saying the bot is still working, and carries on: its own card goes to the person's 1:1 chat when it is done.
// The same press arriving again while it runs (a client retry, a double click) joins it instead of running twice.
import { isDeepStrictEqual } from 'node:util';
import { noticeCard, type Card } from '../cards';
import { tellPerson } from './messenger';
import type { ActionRequest, AppDeps } from './ports';

/** Well inside Teams' ten seconds, leaving time for the answer to travel. */
export const DEFAULT_DEADLINE_MS = 7_000;

/** How long the card of an action that outlasted its deadline is kept, for a retry that arrives after it finished. */
const KEEP_LATE_RESULT_MS = 2 * 60_000;

/** The answer while an action is still running. */
export function stillWorkingCard(personal: boolean): Card {
  return noticeCard({
    title: 'Still working on it',
    text: personal
      ? "EIP bot will message you here when it's done. No need to press again."
      : "EIP bot will message you in your chat with it when it's done. No need to press again.",
    tone: 'accent',
  });
}

/** One press being worked on. */
interface Pressed {
  data: Record<string, unknown>;
  result: Promise<Card>;
  /** running; late once someone was answered "still working"; done once the card is ready. */
  state: 'running' | 'late' | 'done';
  card?: Card;
}

export class Deadline {
  /** Presses under way (and late ones just finished), by person, chat and verb; then told apart by their data. */
  private readonly pressed = new Map<string, Pressed[]>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: AppDeps,
    private readonly act: (req: ActionRequest) => Promise<Card>,
    private readonly ms: number = DEFAULT_DEADLINE_MS,
  ) {}

  /** The action's card if it is ready by the deadline; otherwise the "still working" card. */
  async answer(req: ActionRequest): Promise<Card> {
    const key = keyOf(req);
    const same = this.pressed.get(key)?.find((p) => isDeepStrictEqual(p.data, req.data));
    if (same) this.deps.log.info({ verb: req.verb, state: same.state }, 'same press again: not run twice');
    const pressed = same ?? this.start(key, req);
    if (pressed.state === 'done') return pressed.card!;
    return new Promise<Card>((resolve) => {
      const timer = setTimeout(() => {
        if (pressed.state === 'done') return resolve(pressed.card!);
        if (pressed.state === 'running')
          this.deps.log.warn({ verb: req.verb, deadlineMs: this.ms }, 'action outlasted the deadline');
        pressed.state = 'late';
        resolve(stillWorkingCard(req.conversationType === 'personal'));
      }, this.ms);
      void pressed.result.then((card) => {
        clearTimeout(timer);
        resolve(card);
      });
    });
  }

  /** Resolves when every action under way has finished and its late card, if any, has been sent. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private start(key: string, req: ActionRequest): Pressed {
    const pressed: Pressed = { data: req.data, state: 'running', result: this.run(req) };
    const list = this.pressed.get(key) ?? [];
    list.push(pressed);
    this.pressed.set(key, list);
    const forget = () => {
      const rest = (this.pressed.get(key) ?? []).filter((p) => p !== pressed);
      if (rest.length) this.pressed.set(key, rest);
      else this.pressed.delete(key);
    };
    // Registered before any answer waits on the result, so the state is settled before an answer reads it.
    const finished = pressed.result.then(async (card) => {
      const late = pressed.state === 'late';
      pressed.state = 'done';
      pressed.card = card;
      if (!late) return forget();
      setTimeout(forget, KEEP_LATE_RESULT_MS).unref();
      await this.sendLate(req, card);
    });
    const tracked = finished.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return pressed;
  }

  /** The card of an action that outlasted its deadline, to the 1:1 chat of whoever pressed. */
  private async sendLate(req: ActionRequest, card: Card): Promise<void> {
    try {
      const reached = req.aadObjectId ? await tellPerson(this.deps, req.aadObjectId, card) : false;
      this.deps.log.info({ verb: req.verb, reached }, 'late action finished: its card sent to the person');
    } catch (e) {
      // The action's change is saved; only the message about it is lost, as for any notification.
      this.deps.log.error(
        { verb: req.verb, err: e instanceof Error ? e.name : 'unknown' },
        'late card not sent',
      );
    }
  }

  /** The action; the router turns every error into a card already, so this only guards against the impossible. */
  private async run(req: ActionRequest): Promise<Card> {
    try {
      return await this.act(req);
    } catch (e) {
      this.deps.log.error({ verb: req.verb, err: e instanceof Error ? e.name : 'unknown' }, 'action failed');
      return noticeCard({
        title: 'Something went wrong on our side',
        text: 'Please try again.',
        tone: 'attention',
      });
    }
  }
}

/** Who pressed, where, and which verb: the same person pressing the same button in the same chat. */
function keyOf(req: ActionRequest): string {
  const chat = (req.reference.conversation as { id?: unknown } | undefined)?.id;
  return JSON.stringify([req.aadObjectId?.toLowerCase() ?? req.teamsUserId, String(chat), req.verb]);
}
