// Local mode's document storage: a folder per case reference under EIP_DATA_DIR/files. The bytes are written to a
// temporary name and renamed into place, so a crash never leaves half a document under a real name.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DocumentStore } from './store';

/** A case reference as a folder name: the references the bot makes ("EIP-2026-0042") are kept as they are. */
const folderOf = (caseRef: string) => caseRef.replace(/[^A-Za-z0-9-]/g, '_');

export class LocalDocuments implements DocumentStore {
  constructor(private readonly root: string) {}

  async put(caseRef: string, name: string, bytes: Buffer): Promise<{ location: string }> {
    // The name was checked (no separators, no control characters); a random prefix keeps two same-named files apart.
    const location = path.posix.join(folderOf(caseRef), `${randomBytes(4).toString('hex')}-${name}`);
    const full = this.resolve(location);
    await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o700 });
    const temp = `${full}.${randomBytes(4).toString('hex')}.part`;
    await fs.writeFile(temp, bytes, { mode: 0o600, flag: 'wx' });
    await fs.rename(temp, full);
    return { location };
  }

  async get(location: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.resolve(location));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async remove(location: string): Promise<void> {
    await fs.rm(this.resolve(location), { force: true });
  }

  /** A location as a path inside the root, refusing any that would reach outside it. */
  private resolve(location: string): string {
    const full = path.resolve(this.root, location);
    if (!full.startsWith(path.resolve(this.root) + path.sep))
      throw new Error('a document location outside its folder');
    return full;
  }
}

/** Tests of one handler, without wiring: documents kept in memory. */
export class MemoryDocuments implements DocumentStore {
  readonly files = new Map<string, Buffer>();

  async put(caseRef: string, name: string, bytes: Buffer): Promise<{ location: string }> {
    const location = `${folderOf(caseRef)}/${randomBytes(4).toString('hex')}-${name}`;
    this.files.set(location, Buffer.from(bytes));
    return { location };
  }

  async get(location: string): Promise<Buffer | undefined> {
    return this.files.get(location);
  }

  async remove(location: string): Promise<void> {
    this.files.delete(location);
  }
}
