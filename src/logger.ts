// Structured logs (pino). Callers log references, verbs and ids only: never a pupil's name or a form's contents.
// Every line logged while the bot handles one activity, or runs one reminder sweep, carries that piece of work's
// correlation id, so its lines can be found together; the id is set once at the edge and follows the work through
// every await (AsyncLocalStorage), including work that carries on after an answer was sent.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';

const work = new AsyncLocalStorage<{ correlationId: string }>();

/** Runs one piece of work (an activity, a sweep) under a fresh correlation id. */
export function withCorrelation<T>(run: () => T, correlationId: string = randomUUID()): T {
  return work.run({ correlationId }, run);
}

/** The correlation id of the work under way, if any. */
export const correlationId = (): string | undefined => work.getStore()?.correlationId;

export function createLogger(
  destination?: DestinationStream,
  level = process.env.LOG_LEVEL ?? 'info',
): Logger {
  return pino(
    {
      name: 'eip-bot',
      level,
      base: undefined,
      mixin: () => {
        const id = correlationId();
        return id ? { correlationId: id } : {};
      },
    },
    destination,
  );
}
