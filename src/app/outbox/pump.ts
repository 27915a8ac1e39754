// Keeps the outbox moving: one dispatch at a time in this process, started on demand (after an action, on a
// schedule, at start). Everything it needs is in the store, so a second instance or a restart loses nothing.
import type { AppDeps } from '../ports';
import { dispatchPending, recoverOutbox } from './outbox';

export class OutboxPump {
  private running: Promise<void> | undefined;
  private lastKick = 0;
  /** Sends started after an action answered, not yet finished. */
  private readonly sending = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: AppDeps,
    /** After an action, the backlog is looked at no more often than this. */
    private readonly kickGapMs = 30_000,
  ) {}

  /** At start: messages saved just before a crash are owed again, then everything due is sent. */
  async start(): Promise<void> {
    await this.guarded(async () => {
      await recoverOutbox(this.deps);
      await dispatchPending(this.deps);
    });
  }

  /** Sends everything due now; waits for a dispatch already under way rather than starting a second. */
  run(): Promise<void> {
    return this.guarded(async () => {
      await dispatchPending(this.deps);
    });
  }

  /** After an action: a look at the backlog, without keeping the person waiting, at most every kickGapMs. */
  kick(): void {
    const now = Date.now();
    if (now - this.lastKick < this.kickGapMs) return;
    this.lastKick = now;
    void this.run();
  }

  /**
   * Sends what an action owes once the action has answered, so the person who pressed waits for the record, not for
   * Teams. The messages are saved with the change already: if this process stops first, the next dispatch sends them.
   */
  later(work: () => Promise<unknown>): void {
    const sending: Promise<unknown> = work()
      .catch((e: unknown) => {
        this.deps.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'messages left owed');
      })
      .finally(() => this.sending.delete(sending));
    this.sending.add(sending);
  }

  /** Waits until every send started after an action has finished (tests, and before the store closes). */
  async idle(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }

  /** Waits for a dispatch under way and the sends after actions (before the store closes). */
  async stop(): Promise<void> {
    await this.idle();
    await this.running;
  }

  private guarded(work: () => Promise<void>): Promise<void> {
    if (this.running) return this.running;
    this.running = work()
      .catch((e: unknown) => {
        this.deps.log.error({ err: e instanceof Error ? e.message : String(e) }, 'outbox dispatch failed');
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
