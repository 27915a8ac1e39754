// EIP bot without HTTP, for tests that press many buttons on many fresh stores: the Router itself over a SQLite store
// seeded as at start-up, a directory with a few more people than the fixture, and a stand-in for the Bot Connector
// that records every card sent or updated. A case is taken to each stage of its life once, through the real
// handlers, and each test starts from a copy of that store file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Card } from '../../src/cards';
import * as cardRender from '../../src/cards/render';
import { Router } from '../../src/app/router';
import { seedFromDirectory } from '../../src/app/seed';
import type { AppDeps, Notifier } from '../../src/app/ports';
import { parseDirectory, type CaseStatus, type Directory } from '../../src/domain';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { COLLECTION_NAMES, type Collection, type CollectionName, type Store } from '../../src/store/store';
import { P, PANEL_CHAT, buttonsOf, personalChat, textOf, type TestPerson } from './harness';

/** The fixture's people, and three more so every role is found at the case's own school and at another. */
export const PEOPLE = {
  ...P,
  /** SENCo at Brookside, another school than the cases' (Oakfield). */
  joni: { aadObjectId: '00000000-0000-0000-0000-0000000000031', name: 'Joni Sherman' },
  /** Head at Oakfield, not on the panel. */
  lee: { aadObjectId: '00000000-0000-0000-0000-0000000000032', name: 'Lee Gu' },
  /** Head at Brookside, not on the panel. */
  miriam: { aadObjectId: '00000000-0000-0000-0000-0000000000033', name: 'Miriam Graham' },
} satisfies Record<string, TestPerson>;

const EXTRA_PEOPLE = [
  {
    ...PEOPLE.joni,
    email: 'jonis@example.com',
    roles: ['senco'],
    schoolId: 'brookside-primary',
  },
  { ...PEOPLE.lee, email: 'leeg@example.com', roles: ['head'], schoolId: 'oakfield-primary' },
  { ...PEOPLE.miriam, email: 'miriamg@example.com', roles: ['head'], schoolId: 'brookside-primary' },
];

const FIXTURE = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'directory.json'), 'utf8'),
) as { people: { aadObjectId: string }[] };

/** The fixture directory with the three extra people, less anyone named (someone removed from the directory). */
export function worldDirectory(...without: TestPerson[]): Directory {
  const raw = structuredClone(FIXTURE);
  const gone = new Set(without.map((p) => p.aadObjectId));
  return parseDirectory({
    ...raw,
    people: [...raw.people, ...EXTRA_PEOPLE].filter((p) => !gone.has(p.aadObjectId)),
  });
}

/** A Friday in term: every date the answers below give is valid on it. */
export const WORLD_NOW = new Date('2026-11-27T10:00:00Z');

/** What the stand-in connector was asked to do: a card posted to a chat, or a posted card updated. */
export interface Delivery {
  kind: 'send' | 'update';
  chat: string;
  messageId: string;
  card: Card;
}

/** A stand-in for the Bot Connector behind the notifier: records every card, by chat, and never fails. */
export class StandInConnector implements Notifier {
  readonly deliveries: Delivery[] = [];

  async send(reference: Record<string, unknown>, card: Card): Promise<string> {
    const messageId = `msg-${this.deliveries.length + 1}`;
    this.deliveries.push({ kind: 'send', chat: chatOf(reference), messageId, card });
    return messageId;
  }

  async update(reference: Record<string, unknown>, messageId: string, card: Card): Promise<void> {
    this.deliveries.push({ kind: 'update', chat: chatOf(reference), messageId, card });
  }

  mark(): number {
    return this.deliveries.length;
  }
}

const chatOf = (reference: Record<string, unknown>) =>
  String((reference.conversation as { id?: unknown } | undefined)?.id);

export type Chat = 'personal' | 'panel';

export interface World {
  store: Store;
  deps: AppDeps;
  connector: StandInConnector;
  /** What the bot logged at warn and above (an unexpected error's stack, say). */
  logs: string[];
  /** Presses a button (Action.Execute) as this person, in their 1:1 chat or the panel's group chat. */
  press(p: TestPerson, verb: string, data?: Record<string, unknown>, chat?: Chat): Promise<Card>;
  /** Types a message. */
  say(p: TestPerson, text: string, chat?: Chat): Promise<Card>;
  /** The same bot and store after these people were removed from the directory. */
  without(...people: TestPerson[]): Pick<World, 'press' | 'say'>;
  /** Closes the store and answers its file, kept to start other worlds from. */
  seal(): Promise<string>;
  /** Closes the store and removes its file. */
  close(): Promise<void>;
}

const incoming = (p: TestPerson, chat: Chat) => ({
  aadObjectId: p.aadObjectId,
  teamsUserId: `29:${p.aadObjectId}`,
  conversationType: chat === 'personal' ? ('personal' as const) : ('groupChat' as const),
  reference: {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/uk/',
    conversation:
      chat === 'personal'
        ? { id: personalChat(p), conversationType: 'personal' }
        : { id: PANEL_CHAT, conversationType: 'groupChat', isGroup: true },
    user: { id: `29:${p.aadObjectId}`, aadObjectId: p.aadObjectId },
    bot: { id: '28:bot', name: 'EIP bot' },
  },
});

function driver(router: Router): Pick<World, 'press' | 'say'> {
  return {
    press: (p, verb, data = {}, chat = 'personal') =>
      router.action({ ...incoming(p, chat), verb, data: structuredClone(data) }),
    say: (p, text, chat = 'personal') => router.text({ ...incoming(p, chat), text }),
  };
}

let folder: string | undefined;
let files = 0;

/** A new file for a store, in one folder for the whole test run (see removeWorldFiles). */
function newFile(): string {
  folder ??= fs.mkdtempSync(path.join(os.tmpdir(), 'eip-world-'));
  files += 1;
  return path.join(folder, `store-${files}.sqlite`);
}

/** Removes every store file the worlds of this run made. */
export function removeWorldFiles(): void {
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
  folder = undefined;
}

export interface WorldOptions {
  /** Start from a copy of this closed store file (a stage's template) instead of a new store. */
  from?: string;
  /** Wraps the store, to watch or slow it. */
  store?: (s: Store) => Store;
}

/**
 * A bot on a store of its own: seeded from the directory, everyone (the stranger too) has opened a 1:1 chat with
 * it, and the co-ordinator has registered the panel's chat, as on any working day.
 */
export async function openWorld(options: WorldOptions = {}): Promise<World> {
  const file = newFile();
  if (options.from) fs.copyFileSync(options.from, file);
  const sqlite = new SqliteStore(file);
  const store = options.store ? options.store(sqlite) : sqlite;
  const connector = new StandInConnector();
  const logs: string[] = [];
  const sink = { write: (line: string) => logs.push(line) };
  const deps: AppDeps = {
    store,
    directory: worldDirectory(),
    notifier: connector,
    log: pino({ level: 'warn' }, sink),
    now: () => WORLD_NOW,
    local: false,
  };
  const router = new Router(deps);
  const world: World = {
    store,
    deps,
    connector,
    logs,
    ...driver(router),
    without: (...people) => driver(new Router({ ...deps, directory: worldDirectory(...people) })),
    seal: async () => {
      await sqlite.close();
      return file;
    },
    close: async () => {
      await sqlite.close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    },
  };
  if (!options.from) {
    await seedFromDirectory(deps);
    for (const p of Object.values(PEOPLE)) await world.say(p, 'help');
    await world.say(PEOPLE.adele, 'panel here', 'panel');
  }
  return world;
}

/** A write held in the store: `caught` once a write is waiting, and `release` lets it go on. */
export interface HeldWrite {
  caught: Promise<void>;
  release(): void;
}

/**
 * A store whose next write to a record (or to one collection's records) can be held, as a slow store holds a request
 * the client has given up on: the client retries, the retry finishes, and only then does the first request go on.
 * Remembering how to reach someone (conversations) is never held.
 */
export function holdingStore(inner: Store): Store & { holdNextWrite(only?: CollectionName): HeldWrite } {
  let armed: { only?: CollectionName; caught: () => void; released: Promise<void> } | undefined;
  const wrap = <T extends { id: string }>(name: CollectionName, c: Collection<T>): Collection<T> => {
    const gate = async () => {
      const held = armed;
      if (!held || (held.only && held.only !== name)) return;
      armed = undefined;
      held.caught();
      await held.released;
    };
    return {
      get: (id) => c.get(id),
      find: (where) => c.find(where),
      create: async (value) => (await gate(), c.create(value)),
      replace: async (value, eTag) => (await gate(), c.replace(value, eTag)),
      remove: async (id, eTag) => (await gate(), c.remove(id, eTag)),
    };
  };
  const out = Object.create(inner) as Store & { holdNextWrite(only?: CollectionName): HeldWrite };
  for (const name of COLLECTION_NAMES) {
    if (name === 'conversations') continue;
    Object.defineProperty(out, name, { value: wrap(name, inner[name] as Collection<{ id: string }>) });
  }
  out.holdNextWrite = (only) => {
    let caught!: () => void;
    let release!: () => void;
    const caughtP = new Promise<void>((r) => (caught = r));
    const released = new Promise<void>((r) => (release = r));
    armed = { ...(only ? { only } : {}), caught, released };
    return { caught: caughtP, release };
  };
  return out;
}

/**
 * Draws each distinct card once: a card is a pure function of its template and data, so one asked for again with the
 * same data is a copy of the first. A thousand replays of one button then cost little; what the handlers decide,
 * store and send is untouched. Answers how to put the real drawing back.
 */
export function drawEachCardOnce(): () => void {
  const real = cardRender.render;
  const drawn = new Map<object, Map<string, Card>>();
  const module = cardRender as { render: typeof real };
  module.render = (template, data) => {
    let byData = drawn.get(template);
    if (!byData) drawn.set(template, (byData = new Map()));
    const key = JSON.stringify(data);
    let card = byData.get(key);
    if (!card) byData.set(key, (card = real(template, data)));
    return structuredClone(card);
  };
  return () => {
    module.render = real;
  };
}

/** Every record in every collection of the store (the audit trail is not a collection), with its version. */
export async function snapshot(store: Store): Promise<Record<CollectionName, unknown[]>> {
  const out = {} as Record<CollectionName, unknown[]>;
  for (const name of COLLECTION_NAMES) {
    const rows = await (store[name] as Store['cases']).find();
    out[name] = rows.map((r) => ({ eTag: r.eTag, value: r.value }));
  }
  return out;
}

/** A warning on the card: a refusal's notice, or the banner on a case or panel card shown with a refusal. */
export function warningOf(card: unknown): string | undefined {
  let found: string | undefined;
  const walk = (n: unknown) => {
    if (found !== undefined) return;
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Container' && o.style === 'warning') {
        found = textOf(o);
        return;
      }
      Object.values(o).forEach(walk);
    }
  };
  walk((card as { body?: unknown }).body);
  return found;
}

// The answers each step of a case's life is given, valid on WORLD_NOW.

export const INDIVIDUAL_REQUEST = {
  kind: 'individual',
  pupilName: 'Sam Okonkwo-Price',
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'A calm corner and a daily check-in.',
  asked: 'Counselling.',
  consentGivenBy: 'Jo Price (mother)',
  consentDate: '2026-11-20',
  consentMethod: 'in-writing',
};

export const CLASS_REQUEST = {
  kind: 'class',
  className: '4B',
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'Zones of regulation.',
  asked: 'Whole-class support.',
};

export const PROPOSAL = {
  service1: 'counselling@oakwood-counselling',
  sessions1: '12',
  rationale: 'Regulation before escalation.',
  outcomes: '- Fewer incidents at lunchtime\n- Names feelings to an adult',
  reviewDate: '2027-03-19',
};

/** 12 sessions at Oakwood's directory rate of £45. */
export const PROPOSAL_PENCE = 54_000;

export const COMMISSION = {
  provider1: 'oakwood-counselling',
  start1: '2026-11-27',
  end1: '2027-03-19',
  cost1: '540',
};

export const OUTCOME = {
  review: 'interim',
  progress1: 'some',
  progress2: 'good',
  notes: 'Agreed with the SENCo.',
};

/** Where a case can be put: its statuses, and closed by the school's withdrawal from the panel. */
export type Stage = CaseStatus | 'withdrawn';

const PATH: Record<Stage, Stage | undefined> = {
  submitted: undefined,
  returned: 'submitted',
  accepted: 'submitted',
  assessed: 'accepted',
  proposed: 'assessed',
  approved: 'proposed',
  declined: 'proposed',
  changes_requested: 'proposed',
  commissioned: 'approved',
  closed: 'commissioned',
  withdrawn: 'proposed',
};

/** Takes the case one step, from the stage before, to this stage, through the real handlers. */
async function advance(w: World, caseId: string, stage: Exclude<Stage, 'submitted'>): Promise<void> {
  const panel = async (choice: string) => {
    for (const p of [PEOPLE.alex, PEOPLE.lynne])
      await w.press(p, 'vote', { caseId, round: 1, choice, comment: 'Panel view.' }, 'panel');
  };
  const { adele, megan } = PEOPLE;
  const step: Record<Exclude<Stage, 'submitted'>, () => Promise<unknown>> = {
    returned: () => w.press(adele, 'returnCase', { caseId, question: 'How often?' }),
    accepted: () => w.press(adele, 'accept', { caseId, observationDate: '2026-11-27' }),
    assessed: () =>
      w.press(adele, 'assess', { caseId, observedOn: '2026-11-27', findings: 'f', needsIdentified: 'n' }),
    proposed: () => w.press(adele, 'propose', { caseId, ...PROPOSAL }),
    approved: () => panel('approve'),
    declined: () => panel('decline'),
    changes_requested: () => panel('changes'),
    commissioned: () => w.press(adele, 'commission', { caseId, ...COMMISSION }),
    closed: () => w.press(adele, 'close', { caseId, reason: 'needs-met', note: 'Outcomes met.' }),
    withdrawn: () => w.press(megan, 'withdraw', { caseId }),
  };
  const card = await step[stage]();
  const status = (await w.store.cases.get(caseId))?.value.status;
  if (status !== (stage === 'withdrawn' ? 'closed' : stage))
    throw new Error(`the case did not reach ${stage} (it is ${status}): ${textOf(card)}`);
}

/**
 * One case at each stage of its life, each stage built once (from a copy of the stage before) and kept as a store
 * file; every world asked for starts from a fresh copy, so a test may change it freely.
 */
export class Stages {
  private readonly templates = new Map<Stage | 'none', Promise<{ file: string; caseId: string }>>();

  /** A fresh bot with Megan's case at this stage (or no case at all). */
  async world(
    stage: Stage | 'none',
    options: Omit<WorldOptions, 'from'> = {},
  ): Promise<{ w: World; caseId: string }> {
    const t = await this.template(stage);
    return { w: await openWorld({ ...options, from: t.file }), caseId: t.caseId };
  }

  private template(stage: Stage | 'none'): Promise<{ file: string; caseId: string }> {
    let t = this.templates.get(stage);
    if (!t) {
      t = this.build(stage);
      this.templates.set(stage, t);
    }
    return t;
  }

  private async build(stage: Stage | 'none'): Promise<{ file: string; caseId: string }> {
    if (stage === 'none') return { file: await (await openWorld()).seal(), caseId: '' };
    const before = PATH[stage];
    const { w, caseId } = await this.world(before ?? 'none');
    if (stage === 'submitted' || !before)
      return { caseId: await raise(w, PEOPLE.megan, INDIVIDUAL_REQUEST), file: await w.seal() };
    await advance(w, caseId, stage);
    return { caseId, file: await w.seal() };
  }
}

/** A SENCo or head raises a request; answers the new case's id, from the Withdraw button on their confirmation. */
export async function raise(w: World, p: TestPerson, request: Record<string, unknown>): Promise<string> {
  const card = await w.press(p, 'submitRequest', request);
  const withdraw = buttonsOf(card).find((b) => b.verb === 'showForm' && b.data.form === 'withdraw');
  if (!withdraw) throw new Error(`request was refused: ${textOf(card)}`);
  return String(withdraw.data.caseId);
}
