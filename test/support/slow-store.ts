// A store whose writes wait at a gate the test opens: a store that takes as long as the test says (20 s, or more)
// without the test waiting for a clock. Reads pass straight through.
import { COLLECTION_NAMES, type Collection, type CollectionName, type Store } from '../../src/store/store';

export interface Gate {
  /** From now on every write waits until open() is called. */
  close(): void;
  open(): void;
  /** Writes waiting at the gate now. */
  readonly waiting: number;
}

export function gatedStore(inner: Store): { store: Store; gate: Gate } {
  let opened: Promise<void> = Promise.resolve();
  let release = () => {};
  let waiting = 0;
  const gate: Gate = {
    close() {
      opened = new Promise<void>((r) => (release = r));
    },
    open() {
      release();
      opened = Promise.resolve();
    },
    get waiting() {
      return waiting;
    },
  };
  const held = async <T>(write: () => Promise<T>): Promise<T> => {
    waiting += 1;
    try {
      await opened;
    } finally {
      waiting -= 1;
    }
    return write();
  };
  const wrap = <T extends { id: string }>(c: Collection<T>): Collection<T> => ({
    get: (id) => c.get(id),
    find: (where) => c.find(where),
    create: (value) => held(() => c.create(value)),
    replace: (value, eTag) => held(() => c.replace(value, eTag)),
    remove: (id, eTag) => held(() => c.remove(id, eTag)),
  });
  const collections = Object.fromEntries(
    COLLECTION_NAMES.map((name) => [name, wrap(inner[name] as Collection<{ id: string }>)]),
  ) as unknown as Pick<Store, CollectionName>;
  const store: Store = {
    ...collections,
    audit: { append: (entry) => held(() => inner.audit.append(entry)), list: (id) => inner.audit.list(id) },
    health: () => inner.health(),
    claimOnce: (key, at) => held(() => inner.claimOnce(key, at)),
    nextNumber: (counter) => held(() => inner.nextNumber(counter)),
    close: () => inner.close(),
  };
  return { store, gate };
}
