// The bot in a process of its own, to be killed (SIGKILL, nothing cleaned up) at a chosen point between saving a change
// and sending what it owes: CRASH_AT=enqueue (the change is saved; its messages are not yet in the outbox),
// CRASH_AT=claim (they are in the outbox; none claimed), or none (the test kills it from outside, say while the Bot
// Connector is slow to answer). Prints "READY <url>" once it listens.
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { start } from '../../src/index';
import type { Collection, OutboxRecord, Store } from '../../src/store/store';

const crashAt = process.env.CRASH_AT ?? 'none';
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

/** The store, with its outbox dying at the chosen write. */
function crashing(store: Store): Store {
  const outbox = store.outbox;
  const wrapped: Collection<OutboxRecord> = {
    get: (id) => outbox.get(id),
    find: (where) => outbox.find(where),
    remove: (id, eTag) => outbox.remove(id, eTag),
    create: (value) => (crashAt === 'enqueue' ? die() : outbox.create(value)),
    replace: (value, eTag) => (crashAt === 'claim' ? die() : outbox.replace(value, eTag)),
  };
  return new Proxy(store, { get: (target, key) => (key === 'outbox' ? wrapped : Reflect.get(target, key)) });
}

async function main(): Promise<void> {
  const config = loadConfig({
    PORT: '0',
    EIP_DATA_DIR: process.env.EIP_DATA_DIR!,
    EIP_DIRECTORY: path.join(__dirname, '..', 'fixtures', 'directory.json'),
    EIP_PLAYGROUND: 'off',
  });
  const now = new Date(process.env.CRASH_NOW!);
  const bot = await start(
    { ...config, port: 0 },
    {
      log: pino({ level: 'silent' }),
      host: '127.0.0.1',
      scheduler: false,
      now: () => now,
      wrapStore: crashing,
    },
  );
  process.stdout.write(`READY ${bot.url}\n`);
}

void main();
