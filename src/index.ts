// The one place that wires things together: configuration, directory, store, router, bot, server and, in local
// mode, the Teams emulator.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { Router } from './app/router';
import { seedFromDirectory } from './app/seed';
import type { AppDeps, Notifier } from './app/ports';
import { BotNotifier } from './bot/notifier';
import { EipBot } from './bot/eip-bot';
import { createAdapter, startServer } from './bot/server';
import { ConfigError, loadConfig, type Config } from './config';
import { DirectoryError, parseDirectory, type Directory } from './domain';
import { londonNoon, runReminderSweep } from './jobs/reminder-sweep';
import { scheduleReminders } from './jobs/scheduler';
import { createLogger } from './logger';
import { SqliteStore } from './store/sqlite/sqlite-store';
import type { Store } from './store/store';

export function loadDirectory(file: string): Directory {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DirectoryError(
      `EIP_DIRECTORY: cannot read ${file} as JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  try {
    return parseDirectory(raw);
  } catch (e) {
    if (e instanceof DirectoryError)
      throw new DirectoryError(`EIP_DIRECTORY ${path.basename(file)}: ${e.message}`);
    throw e;
  }
}

export interface Running {
  url: string;
  store: Store;
  router: Router;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  now?: () => Date;
  /** Replaces the Bot Framework notifier (tests that do not go through the connector). */
  notifier?: Notifier;
  host?: string;
  /** Runs the reminder sweep once at start and then on its timetable; tests turn it off to stay deterministic. */
  scheduler?: boolean;
}

/** What the application runs on for this configuration: the bot and the command-line jobs open it alike. */
export function openApp(
  config: Config,
  options: StartOptions = {},
): { deps: AppDeps; adapter: ReturnType<typeof createAdapter> } {
  if (config.store === 'sharepoint')
    throw new DirectoryError(
      'EIP_STORE=sharepoint is being built; this version still needs EIP_STORE=sqlite.',
    );
  const log = options.log ?? createLogger();
  const directory = loadDirectory(config.directoryFile);
  const store = new SqliteStore(path.join(config.dataDir, 'eip.sqlite'));
  const adapter = createAdapter(config, log);
  const notifier = options.notifier ?? new BotNotifier(adapter, config.botAuth.MicrosoftAppId);
  const deps = {
    store,
    directory,
    notifier,
    log,
    now: options.now ?? (() => new Date()),
    local: config.local,
  };
  return { deps, adapter };
}

/** Starts the bot with this configuration. */
export async function start(config: Config, options: StartOptions = {}): Promise<Running> {
  const { deps, adapter } = openApp(config, options);
  const { store, directory, log } = deps;
  await seedFromDirectory(deps);
  const router = new Router(deps);
  const bot = new EipBot(router, log, config.tenantId);
  const server = await startServer(config.port, adapter, bot.run, log, options.host, {
    ...(config.jobsToken ? { token: config.jobsToken } : {}),
    local: config.local,
    runReminders: ({ day, dryRun }) =>
      runReminderSweep(deps, { dryRun, ...(day ? { now: londonNoon(day) } : {}) }),
  });
  const scheduler = options.scheduler === false ? undefined : scheduleReminders(deps);
  log.info(
    { mode: config.local ? 'local' : 'authenticated', store: config.store, people: directory.people.length },
    'EIP bot started',
  );
  return {
    url: server.url,
    store,
    router,
    stop: async () => {
      await scheduler?.stop();
      await server.close();
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`EIP bot cannot start: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const log = createLogger();
  let running: Running;
  try {
    running = await start(config, { log });
  } catch (e) {
    if (e instanceof DirectoryError) {
      process.stderr.write(`EIP bot cannot start: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const stops: (() => Promise<void>)[] = [running.stop];
  if (config.playground.enabled) {
    // Loaded only in local mode: the emulator is a development dependency that production never installs.
    const { startPlayground } = await import('./dev/playground');
    const pg = await startPlayground({
      botEndpoint: `http://127.0.0.1:${config.port}/api/messages`,
      port: config.playground.port,
      configPath: config.playground.configPath,
      log: (msg: string) => log.info(msg),
    });
    stops.unshift(pg.stop);
    log.info(`Teams emulator (Agents Playground) ready: open ${pg.url}`);
  }
  const shutdown = async () => {
    for (const stop of stops) await stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`EIP bot stopped: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
