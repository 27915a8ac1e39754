// The one place that wires things together: configuration, directory, store, router, bot, server and, in local
// mode, the Teams emulator.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Client } from '@microsoft/microsoft-graph-client';
import { Cron } from 'croner';
import { Router } from './app/router';
import { OutboxPump } from './app/outbox/pump';
import { rateLimited } from './app/outbox/rate';
import { seedFromDirectory } from './app/seed';
import { ReportRuns, SharePointReports, localReports } from './app/reports/delivery';
import type { AppDeps, Notifier } from './app/ports';
import { BotNotifier } from './bot/notifier';
import { EipBot } from './bot/eip-bot';
import { createAdapter, startServer } from './bot/server';
import { ConfigError, loadConfig, type Config } from './config';
import { Directory, DirectoryError, parseDirectory } from './domain';
import { londonNoon, runReminderSweep } from './jobs/reminder-sweep';
import { scheduleReminders } from './jobs/scheduler';
import { createLogger } from './logger';
import { DataDirError, openSqliteStore } from './store/sqlite/open';
import type { DocumentStore, Store } from './store/store';
import { LocalDocuments } from './store/local-documents';
import { PendingFiles } from './app/files/services';

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

/** Until the SharePoint lists are read at start (which must succeed), nobody is known. */
const EMPTY_DIRECTORY = new Directory([], [], { quorum: 3 });

export interface Running {
  url: string;
  /** The address the server listens on. */
  host: string;
  store: Store;
  router: Router;
  /** Sends what the outbox owes now (tests and the jobs endpoint). */
  outbox: OutboxPump;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  now?: () => Date;
  /** Wraps the store as it is opened (tests that stop the process at a chosen write). */
  wrapStore?: (store: Store) => Store;
  /** Replaces the Bot Framework notifier (tests that do not go through the connector). */
  notifier?: Notifier;
  /** Overrides Config.host. */
  host?: string;
  /** Runs the reminder sweep once at start and then on its timetable; tests turn it off to stay deterministic. */
  scheduler?: boolean;
  /** How long a pressed button waits for its action before answering "still working" (default 7 s). */
  invokeDeadlineMs?: number;
}

/** A start-up failure outside the configuration's own text: a site that cannot be reached, lists not provisioned. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Where schools and people come from changes while the bot runs (SharePoint lists); this refreshes them. */
export interface DirectoryRefresh {
  stop(): void;
}

/** The store, and in SharePoint mode the Graph client, for this configuration. */
async function openStore(
  config: Config,
  log: Logger,
): Promise<{ store: Store; graph?: { client: Client; siteId: string } }> {
  if (config.store === 'sqlite') {
    try {
      return { store: openSqliteStore(config.dataDir) };
    } catch (e) {
      if (e instanceof DataDirError) throw new StartupError(e.message);
      throw e;
    }
  }
  const graph = config.graph!;
  // Loaded only in SharePoint mode, so the embedded store never loads the Graph SDK.
  const { openSharePoint } = await import('./store/sharepoint/open');
  try {
    const { store, client } = await openSharePoint(graph, log);
    return { store, graph: { client, siteId: graph.siteId } };
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new StartupError(`SharePoint site ${graph.siteId}: ${why}`);
  }
}

const DIRECTORY_REFRESH = '*/5 * * * *';
/** The outbox is looked at every minute for messages whose retry is due. */
const OUTBOX_PATTERN = '* * * * *';
const OUTBOX_START_WAIT_MS = 5_000;

/** Schools and people from the site's lists, reloaded every five minutes; a bad row is logged, never fatal. */
async function sharePointDirectory(
  deps: AppDeps,
  graph: { client: Client; siteId: string },
): Promise<DirectoryRefresh> {
  const { readSharePointDirectory } = await import('./store/sharepoint/directory-source');
  const load = async () => {
    const { directory, problems } = await readSharePointDirectory(graph.client, graph.siteId, deps.store);
    for (const problem of problems) deps.log.warn({ problem }, 'directory row left out');
    deps.directory = directory;
  };
  try {
    await load();
  } catch (e) {
    throw new StartupError(`EIP_DIRECTORY=sharepoint: ${e instanceof Error ? e.message : String(e)}`);
  }
  const job = new Cron(DIRECTORY_REFRESH, { protect: true }, async () => {
    try {
      await load();
    } catch (e) {
      // The directory the bot has keeps serving until the lists can be read again.
      deps.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'directory not refreshed');
    }
  });
  return { stop: () => job.stop() };
}

/** What the application runs on for this configuration: the bot and the command-line jobs open it alike. */
export async function openApp(
  config: Config,
  options: StartOptions = {},
): Promise<{ deps: AppDeps; adapter: ReturnType<typeof createAdapter>; refresh?: DirectoryRefresh }> {
  const log = options.log ?? createLogger();
  const opened = await openStore(config, log);
  const store = options.wrapStore ? options.wrapStore(opened.store) : opened.store;
  const { graph } = opened;
  const adapter = createAdapter(config, log);
  const notifier = rateLimited(options.notifier ?? new BotNotifier(adapter, config.botAuth.MicrosoftAppId));
  const now = options.now ?? (() => new Date());
  // Evidence documents: the site's evidence library in SharePoint mode, a folder under the data folder otherwise.
  const documents: DocumentStore = graph
    ? new (await import('./store/sharepoint/documents')).SharePointDocuments(graph.client, graph.siteId)
    : new LocalDocuments(path.join(config.dataDir, 'files'));
  const reports = graph
    ? { runs: new ReportRuns(now), delivery: new SharePointReports(graph.client, graph.siteId) }
    : localReports(now);
  const deps: AppDeps = {
    store,
    directory: config.directorySource === 'file' ? loadDirectory(config.directoryFile) : EMPTY_DIRECTORY,
    notifier,
    log,
    now,
    local: config.local,
    privacy: {
      exportsDir: path.join(config.dataDir, 'exports'),
      retentionYearsAfterDob: config.retentionYearsAfterDob,
    },
    // Report CSVs: uploaded to the site's library in SharePoint mode, a link served by this bot otherwise.
    reports,
    files: {
      documents,
      pending: new PendingFiles(now),
      hosts: config.fileHosts,
      // Local mode opens a document through an expiring link the bot serves, as it does a report's CSV.
      ...(reports.exports ? { links: reports.exports } : {}),
    },
  };
  const refresh =
    graph && config.directorySource === 'sharepoint' ? await sharePointDirectory(deps, graph) : undefined;
  return { deps, adapter, ...(refresh ? { refresh } : {}) };
}

/** Starts the bot with this configuration. */
export async function start(config: Config, options: StartOptions = {}): Promise<Running> {
  const { deps, adapter, refresh } = await openApp(config, options);
  const { store, directory, log } = deps;
  await seedFromDirectory(deps);
  // Messages owed before a stop (or a crash) go out first; a slow channel does not hold up the start for long.
  const outbox = new OutboxPump(deps);
  deps.outbox = outbox;
  await Promise.race([outbox.start(), new Promise((r) => setTimeout(r, OUTBOX_START_WAIT_MS).unref())]);
  const router = new Router(deps, {
    ...(options.invokeDeadlineMs !== undefined ? { invokeDeadlineMs: options.invokeDeadlineMs } : {}),
  });
  const bot = new EipBot(router, log, config.tenantId);
  const server = await startServer({
    port: config.port,
    host: options.host ?? config.host,
    adapter,
    run: bot.run,
    log,
    jobs: {
      ...(config.jobsToken ? { token: config.jobsToken } : {}),
      local: config.local,
      runReminders: ({ day, dryRun }) =>
        runReminderSweep(deps, { dryRun, ...(day ? { now: londonNoon(day) } : {}) }),
    },
    // Local mode's emulator runs on this machine; otherwise only the Bot Connector's own services.
    ...(config.local ? {} : { serviceUrls: config.serviceUrls }),
    health: { kind: config.store, check: () => store.health() },
    ...(deps.reports?.exports ? { exports: (token: string) => deps.reports?.exports?.file(token) } : {}),
  });
  // Export links name the address the bot is listening on.
  if (deps.reports?.exports) deps.reports.exports.baseUrl = server.url;
  const scheduler = options.scheduler === false ? undefined : scheduleReminders(deps);
  const outboxJob =
    options.scheduler === false ? undefined : new Cron(OUTBOX_PATTERN, { protect: true }, () => outbox.run());
  log.info(
    { mode: config.local ? 'local' : 'authenticated', store: config.store, people: directory.people.length },
    'EIP bot started',
  );
  return {
    url: server.url,
    host: server.host,
    store,
    router,
    outbox,
    stop: async () => {
      await scheduler?.stop();
      outboxJob?.stop();
      await outbox.stop();
      refresh?.stop();
      await server.close();
      await router.settled();
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
    if (e instanceof DirectoryError || e instanceof StartupError) {
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
