// Keeps the outbox moving: one dispatch at a time in this process, started on demand (after an action, on a
// schedule, at start). Everything it needs is in the store, so a second instance or a restart loses nothing.
import type { AppDeps } from '../ports';
import { dispatchPending, recoverOutbox } from './outbox';

export class OutboxPump {
  private running: Promise<void> | undefined;
  private lastKick = 0;

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

  /** Waits for a dispatch under way (before the store closes). */
  async stop(): Promise<void> {
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
