// Structured logs (pino). Callers log references, verbs and ids only: never a pupil's name or a form's contents.
import pino, { type DestinationStream, type Logger } from 'pino';

export function createLogger(
  destination?: DestinationStream,
  level = process.env.LOG_LEVEL ?? 'info',
): Logger {
  return pino({ name: 'eip-bot', level, base: undefined }, destination);
}
