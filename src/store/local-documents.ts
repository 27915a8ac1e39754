// Local mode's document storage: a folder per case reference under EIP_DATA_DIR/files. The bytes are written to a
// temporary name and renamed into place, so a crash never leaves half a document under a real name. A document is
// kept as a random id and the type found in its content ("3f9c….pdf"), never under the sender's file name, which may
// carry the pupil's name (and may be too long for the disk): that name stays in the store's record only.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ACCEPTED_TYPES } from '../domain/files';
import type { DocumentStore } from './store';

/** A case reference as a folder name: the references the bot makes ("EIP-2026-0042") are kept as they are. */
const folderOf = (caseRef: string) => caseRef.replace(/[^A-Za-z0-9-]/g, '_');

/** The name a document is stored under, in either store: 16 random bytes as hex, and the checked type's extension. */
export const storedName = (mime: string) =>
  `${randomBytes(16).toString('hex')}.${Object.keys(ACCEPTED_TYPES).find((ext) => ACCEPTED_TYPES[ext]!.mime === mime) ?? 'bin'}`;

export class LocalDocuments implements DocumentStore {
  constructor(private readonly root: string) {}

  async put(caseRef: string, _name: string, bytes: Buffer, mime: string): Promise<{ location: string }> {
    const location = path.posix.join(folderOf(caseRef), storedName(mime));
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

  /** The file's size now, and a stream of it from disk made only when it is read (nothing held open meanwhile). */
  async open(location: string): Promise<{ size: number; stream(): Readable } | undefined> {
    const full = this.resolve(location);
    try {
      const { size } = await fs.stat(full);
      return { size, stream: () => createReadStream(full) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
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

  async put(caseRef: string, _name: string, bytes: Buffer, mime: string): Promise<{ location: string }> {
    const location = `${folderOf(caseRef)}/${storedName(mime)}`;
    this.files.set(location, Buffer.from(bytes));
    return { location };
  }

  async get(location: string): Promise<Buffer | undefined> {
    return this.files.get(location);
  }

  async remove(location: string): Promise<void> {
    this.files.delete(location);
  }

  async open(location: string): Promise<{ size: number; stream(): Readable } | undefined> {
    const bytes = this.files.get(location);
    return bytes ? { size: bytes.length, stream: () => Readable.from([bytes]) } : undefined;
  }
}
