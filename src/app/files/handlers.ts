// Evidence documents: a file sent to the bot in the 1:1 chat is fetched and checked (its content, its size, its
// name), then a card asks which case it belongs to and what kind of document it is; the case's documents are listed
// for those who may see the named case, and each open is for that person alone (a read grant on the one SharePoint
// item, or a single-use local link), audited.
import { createHash } from 'node:crypto';
import {
  ACCEPTED_TYPES,
  EipError,
  FILE_KINDS,
  FILE_KIND_LABELS,
  MAX_FILES_PER_CASE,
  MAX_FILE_BYTES,
  fileId,
  fileNameProblem,
  fileTypeProblem,
  hasRole,
  isOwnSchool,
  mayAddFile,
  mayOpenFile,
  showDate,
  sizeText,
  type CaseRecord,
  type FileKind,
  type FileRecord,
} from '../../domain';
import { action, filesCard, formCard, noticeCard, type Card, type FileRow } from '../../cards';
import { breakable } from '../../cards/breakable';
import type { FieldProblem } from '../../domain/errors';
import { isStoreError } from '../../store/store';
import type { Actor } from '../identity';
import type { AppDeps, FileRequest } from '../ports';
import { audit, loadCase } from '../records';
import { subjectFor } from '../views';
import { showCase } from '../handlers/open-case';
import type { Handler } from '../handlers/context';
import { downloadFile } from './download';
import { MAX_WAITING, filesOf, type PendingFile } from './services';

const refused = (message: string) => new EipError('file_refused', message);

/** What `file-type` makes of the content (its magic bytes), never the name. ESM-only: loaded through require(esm). */
async function detectType(bytes: Buffer): Promise<{ ext: string; mime: string } | undefined> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fileTypeFromBuffer } = require('file-type') as {
    fileTypeFromBuffer(b: Uint8Array): Promise<{ ext: string; mime: string } | undefined>;
  };
  return fileTypeFromBuffer(bytes);
}

/** Who may send documents at all: a school's SENCo or the co-ordinator (the case decides the rest). */
function assertMayAdd(actor: Actor): void {
  if (!hasRole(actor.person, 'senco', 'coordinator'))
    throw new EipError(
      'forbidden',
      "Only a school's SENCo or the EIP co-ordinator can add documents to a case.",
    );
}

/** Checks a file's bytes and name; answers the refusal a person should see, or the type found. */
export async function checkFile(name: string, bytes: Buffer): Promise<{ ext: string; mime: string }> {
  const nameProblem = fileNameProblem(name);
  if (nameProblem) throw refused(nameProblem);
  if (bytes.length === 0)
    throw refused('The file is empty. Check it opens on your computer, then send it again.');
  if (bytes.length > MAX_FILE_BYTES)
    throw refused('The file is larger than 25 MB, the most one document may be.');
  const found = await detectType(bytes);
  const typeProblem = fileTypeProblem(found?.ext);
  if (typeProblem || !found) throw refused(typeProblem ?? 'The file is not of a kind a case can keep.');
  return { ext: found.ext, mime: ACCEPTED_TYPES[found.ext]!.mime };
}

/** How many cases the chooser lists; any other is chosen by typing its reference. */
const MAX_CHOICES = 100;

/**
 * The cases a person may add a document to, as the chooser lists them: open cases first, the most recently active
 * first, then closed ones, the most recently closed first. Any case of theirs beyond the list can be typed.
 */
async function casesToChoose(deps: AppDeps, actor: Actor): Promise<CaseRecord[]> {
  const p = actor.person;
  const found = hasRole(p, 'coordinator')
    ? await deps.store.cases.find()
    : p.schoolId
      ? await deps.store.cases.find({ schoolId: p.schoolId })
      : [];
  const lastActive = (c: CaseRecord) => (c.status === 'closed' ? (c.closedAt ?? c.updatedAt) : c.updatedAt);
  return found
    .map((s) => s.value)
    .filter((c) => mayAddFile(p, c))
    .sort(
      (a, b) =>
        Number(a.status === 'closed') - Number(b.status === 'closed') ||
        lastActive(b).localeCompare(lastActive(a)) ||
        (a.ref < b.ref ? 1 : -1),
    )
    .slice(0, MAX_CHOICES);
}

/** A case reference as people type it: "eip-2026-42 " reads as EIP-2026-0042. */
export function typedRef(typed: string): string | undefined {
  const m = /^\s*EIP[\s-]*(\d{4})[\s-]*(\d{1,6})\s*$/i.exec(typed);
  return m ? `EIP-${m[1]}-${m[2]!.padStart(4, '0')}` : undefined;
}

/** What the choice card shows of a waiting file. */
export interface WaitingFile {
  token: string;
  name: string;
  ext: string;
  size: number;
}

/** The card asking which case a waiting file belongs to, and what kind of document it is. Pure: the catalogue draws it. */
export function fileChoiceCard(
  file: WaitingFile,
  cases: readonly { id: string; title: string }[],
  values: { caseId?: string; kind?: string; caseRef?: string } = {},
  problems: FieldProblem[] = [],
): Card {
  return formCard({
    title: 'Keep this document with a case',
    subtitle: `${breakable(file.name)} · ${ACCEPTED_TYPES[file.ext]?.label ?? file.ext} · ${sizeText(file.size)}`,
    problems,
    fields: [
      {
        kind: 'choice',
        id: 'caseId',
        label: 'Case',
        filtered: cases.length > 8,
        choices: cases.map((c) => ({ title: c.title, value: c.id })),
        ...(values.caseId ? { value: values.caseId } : {}),
      },
      {
        kind: 'text',
        id: 'caseRef',
        label: 'Or type a reference, e.g. EIP-2026-0042',
        maxLength: 20,
        placeholder: 'EIP-2026-0042',
        ...(values.caseRef ? { value: values.caseRef } : {}),
      },
      {
        kind: 'choice',
        id: 'kind',
        label: 'Kind of document',
        required: true,
        expanded: true,
        choices: FILE_KINDS.map((k) => ({ title: FILE_KIND_LABELS[k], value: k })),
        ...(values.kind ? { value: values.kind } : {}),
      },
    ],
    actions: [
      action('Keep with this case', 'attachFile', { upload: file.token }, 'positive'),
      action('Cancel', 'myCases'),
    ],
  });
}

/** The choice card for this person: the cases they may add to. */
async function chooseCard(
  deps: AppDeps,
  actor: Actor,
  file: PendingFile,
  values: { caseId?: string; kind?: string; caseRef?: string } = {},
  problems: FieldProblem[] = [],
): Promise<Card> {
  const cases = await casesToChoose(deps, actor);
  return fileChoiceCard(
    { token: file.token, name: file.name, ext: file.ext, size: file.bytes.length },
    cases.map((c) => ({ id: c.id, title: `${c.ref}: ${subjectFor(actor.person, c)}` })),
    values,
    problems,
  );
}

/** A file sent in the 1:1 chat: fetched (from an allowed host, at most 25 MB), checked, and held while they choose. */
export async function receiveFile(deps: AppDeps, actor: Actor, req: FileRequest): Promise<Card> {
  const p = actor.person;
  if (!hasRole(p, 'senco', 'coordinator'))
    throw new EipError(
      'forbidden',
      "Only a school's SENCo or the EIP co-ordinator can add documents to a case.",
    );
  const services = filesOf(deps);
  // The name is checked before anything is fetched: a hostile name costs no download.
  const nameProblem = fileNameProblem(req.name);
  if (nameProblem) throw refused(nameProblem);
  const bytes = await downloadFile(req.downloadUrl, services.hosts, MAX_FILE_BYTES).catch((e: unknown) => {
    if (e instanceof EipError) throw refused(e.message);
    throw e;
  });
  const type = await checkFile(req.name, bytes);
  const held = services.pending.hold({
    owner: p.aadObjectId,
    name: req.name,
    bytes,
    ...type,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  await audit(deps, actor, 'receive-file', undefined, `${type.ext}, ${bytes.length} bytes, awaiting a case`);
  return chooseCard(deps, actor, held);
}

/**
 * The note for a message that carried more files than may wait at once: how many were read (each has its own card)
 * and how many were not. Pure.
 */
export function filesNotReadCard(sent: number, read: number): Card {
  const left = sent - read;
  return noticeCard({
    title: `${left} of your ${sent} files ${left === 1 ? 'was' : 'were'} not read`,
    text: `At most ${MAX_WAITING} files can wait for a case at once, so only the first ${read} were read: each has its own card below. Keep those with their cases, then send the other ${left} again${left === 1 ? '' : ', one at a time or a few together'}.`,
    tone: 'warning',
  });
}

/**
 * The case a sender chose from the list, or typed the reference of; or why neither will do. A typed reference that
 * is not theirs to add to reads as one that does not exist, so nobody learns of another school's cases by typing.
 */
async function caseOfChoice(
  deps: AppDeps,
  actor: Actor,
  chosen: string,
  typed: string,
): Promise<{ caseId?: string; problem?: string }> {
  if (!typed)
    return chosen
      ? { caseId: chosen }
      : { problem: 'Choose the case this document belongs to, or type its reference.' };
  const ref = typedRef(typed);
  if (!ref) return { problem: 'Type a reference as it is written on the case, e.g. EIP-2026-0042.' };
  const [found] = await deps.store.cases.find({ ref });
  if (!found || !mayAddFile(actor.person, found.value))
    return { problem: `There is no case ${ref} that you can add documents to. Check the reference.` };
  if (chosen && chosen !== found.value.id)
    return { problem: 'Choose a case from the list or type a reference, not both.' };
  return { caseId: found.value.id };
}

/** The sender chose a case and a kind: the document is kept, unless the case has it already or is full. */
export const attachFile: Handler = async (ctx) => {
  const { deps, actor, req } = ctx;
  assertMayAdd(actor);
  const services = filesOf(deps);
  const file = services.pending.get(actor.person.aadObjectId, req.data.upload);
  if (!file)
    throw new EipError(
      'moved_on',
      `That file is no longer waiting for a case, so nothing was kept: a file waits 15 minutes, and at most ${MAX_WAITING} wait for you at once. Send it again in this chat.`,
    );
  const chosen = typeof req.data.caseId === 'string' ? req.data.caseId.trim() : '';
  const caseRef = typeof req.data.caseRef === 'string' ? req.data.caseRef.trim() : '';
  const kind = typeof req.data.kind === 'string' ? req.data.kind : '';
  const { caseId, problem } = await caseOfChoice(deps, actor, chosen, caseRef);
  const problems: FieldProblem[] = [
    ...(problem ? [{ field: 'Case', message: problem }] : []),
    ...((FILE_KINDS as readonly string[]).includes(kind)
      ? []
      : [{ field: 'Kind of document', message: 'Choose what kind of document it is.' }]),
  ];
  if (problems.length || !caseId)
    return chooseCard(deps, actor, file, { caseId: chosen, kind, caseRef }, problems);
  const c = (await loadCase(deps, caseId)).value;
  if (!mayAddFile(actor.person, c))
    throw new EipError('forbidden', "That case belongs to another school, so you can't add to it.");
  const existing = (await deps.store.files.find({ caseId: c.id })).map((s) => s.value);
  const same = existing.find((f) => f.sha256 === file.sha256);
  if (same) {
    services.pending.drop(actor.person.aadObjectId, file.token);
    throw refused(
      `${c.ref} already keeps this document (the same file, by its content), added ${showDate(same.addedAt.slice(0, 10))} as ${same.name}. Nothing was stored twice.`,
    );
  }
  if (existing.length >= MAX_FILES_PER_CASE)
    throw refused(
      `${c.ref} already keeps ${MAX_FILES_PER_CASE} documents, the most a case may. Ask the co-ordinator if one should be replaced.`,
    );
  const stored = await services.documents.put(c.ref, file.name, file.bytes, file.mime);
  const record: FileRecord = {
    id: fileId(c.id, file.sha256),
    caseId: c.id,
    name: file.name,
    kind: kind as FileKind,
    size: file.bytes.length,
    sha256: file.sha256,
    ext: file.ext,
    addedBy: actor.person.aadObjectId,
    addedAt: deps.now().toISOString(),
    location: stored.location,
    ...(stored.webUrl ? { webUrl: stored.webUrl } : {}),
  };
  try {
    await deps.store.files.create(record);
  } catch (e) {
    // The record could not be written (or the same file won a race to it): the bytes go again, so nothing is left.
    await services.documents.remove(stored.location);
    if (isStoreError(e, 'exists'))
      throw refused(`${c.ref} already keeps this document. Nothing was stored twice.`);
    throw e;
  }
  // Two documents sent to the same case at the same moment both found room above. Counted again after the write,
  // the store's order (oldest first) decides: the earliest 20 stay, and a later one takes itself away again, bytes
  // and all, and tells its sender. Every writer sees the same order, so exactly the extra ones go.
  const now = (await deps.store.files.find({ caseId: c.id })).map((s) => s.value.id);
  if (now.indexOf(record.id) >= MAX_FILES_PER_CASE) {
    const mine = await deps.store.files.get(record.id);
    if (mine) await deps.store.files.remove(record.id, mine.eTag);
    await services.documents.remove(stored.location);
    throw refused(
      `${c.ref} reached ${MAX_FILES_PER_CASE} documents, the most a case may, while yours was being kept: another document was added at the same moment. Yours was not kept. Ask the co-ordinator if one should be replaced.`,
    );
  }
  services.pending.drop(actor.person.aadObjectId, file.token);
  // Never the name: it may carry the pupil's.
  await audit(deps, actor, 'add-file', c.id, `${c.ref} ${kind} (${file.ext}, ${file.bytes.length} bytes)`, {
    after: `${existing.length + 1} documents`,
  });
  return showCase(ctx, c, {
    // "as provision map", "as SEN support plan": lower case but for an initialism.
    text: `${breakable(file.name)} is kept with ${c.ref} as ${FILE_KIND_LABELS[kind as FileKind].replace(/^[A-Z](?![A-Z])/, (l) => l.toLowerCase())}.`,
    tone: 'good',
  });
};

/** A line about a document: its kind, size, who added it and when. */
const fileLine = (deps: AppDeps, f: FileRecord) =>
  `${FILE_KIND_LABELS[f.kind]} · ${ACCEPTED_TYPES[f.ext]?.label ?? f.ext} · ${sizeText(f.size)} · added ${showDate(f.addedAt.slice(0, 10))} by ${deps.directory.person(f.addedBy)?.name ?? 'someone no longer in the directory'}`;

/** The rows of a files card for these documents. */
export const fileRows = (deps: AppDeps, files: readonly FileRecord[]): FileRow[] =>
  files.map((f) => ({ name: f.name, line: fileLine(deps, f), open: { fileId: f.id, caseId: f.caseId } }));

/** The case's documents, for those who may see the named case. */
export const caseFiles: Handler = async ({ deps, actor, req }) => {
  const caseId = typeof req.data.caseId === 'string' ? req.data.caseId : '';
  const c = (await loadCase(deps, caseId)).value;
  const p = actor.person;
  if (!mayOpenFile(p, c, { id: '' }))
    throw new EipError('forbidden', "Only the case's school and the co-ordinator can see its documents.");
  const files = (await deps.store.files.find({ caseId: c.id })).map((s) => s.value);
  await audit(deps, actor, 'list-files', c.id, `${c.ref} ${files.length} documents listed`);
  return filesCard({
    title: `Documents: ${c.ref}`,
    subtitle: subjectFor(p, c),
    text: files.length
      ? `${files.length} of at most ${MAX_FILES_PER_CASE}. To add one, send the file to EIP bot in this chat.`
      : 'None yet. To add one, send the file to EIP bot in this chat (PDF, Word, Excel, PNG or JPEG, up to 25 MB).',
    rows: fileRows(deps, files),
    actions: [action('Back to the case', 'openCase', { caseId: c.id }), action('My cases', 'myCases')],
  });
};

/** How long a person's read access to a SharePoint item lasts once they open it. */
export const GRANT_MS = 24 * 60 * 60_000;

/**
 * Opens one document for this person, and it is audited. SharePoint mode: read access to that one item for them
 * alone, for a day (the library itself is open to the co-ordinators only), and the item's own link, which needs them
 * signed in. Local mode: a link made for them, which downloads the document once within a few minutes; the
 * download is audited too.
 */
export const openFile: Handler = async ({ deps, actor, req }) => {
  const id = typeof req.data.fileId === 'string' ? req.data.fileId : '';
  const found = id ? await deps.store.files.get(id) : undefined;
  if (!found) throw new EipError('not_found', 'That document is no longer kept with the case.');
  const f = found.value;
  const c = (await loadCase(deps, f.caseId)).value;
  const transfer = (await deps.store.transfers.get(c.id))?.value;
  if (!mayOpenFile(actor.person, c, f, transfer))
    throw new EipError('forbidden', "Only the case's school and the co-ordinator can open this document.");
  const services = filesOf(deps);
  const documents = services.documents;
  const receiving = !isOwnSchool(actor.person, c) && !hasRole(actor.person, 'coordinator');
  const what = `${c.ref} ${f.kind} document`;
  let url: string;
  let text: string;
  let granted = '';
  if (f.webUrl) {
    if (!documents.grantRead) throw new Error('no way to grant access to a SharePoint document');
    const until = new Date(deps.now().getTime() + GRANT_MS);
    url = await documents.grantRead(f.location, { objectId: actor.person.aadObjectId }, until);
    granted = `; read access to it granted to them alone until ${until.toISOString()}`;
    text = `${fileLine(deps, f)}. It opens in the LA's evidence library when you are signed in: you may read this one document there until ${showDate(until.toISOString().slice(0, 10))} ${until.toISOString().slice(11, 16)} UTC.`;
  } else {
    const opened = await documents.open?.(f.location);
    if (!opened)
      throw new EipError('not_found', 'That document could not be found in storage. Tell the co-ordinator.');
    const links = services.links;
    if (!links) throw new Error('no way to open a local document');
    const delivered = await links.deliverDocument({
      owner: actor.person.aadObjectId,
      fileName: f.name,
      contentType: ACCEPTED_TYPES[f.ext]?.mime ?? 'application/octet-stream',
      size: opened.size,
      stream: opened.stream,
      // Who the link was made for, and the case: never the file's name (it may carry the pupil's).
      served: () =>
        audit(deps, actor, 'download-file', c.id, `${what} downloaded through the link made for this person`),
    });
    url = delivered.url;
    const minutes = Math.round(((delivered.expiresAt?.getTime() ?? 0) - deps.now().getTime()) / 60_000);
    text = `${fileLine(deps, f)}. A link for you, for the next ${minutes} minutes: it downloads the document once. Keep it to yourself; open the document here again for a fresh one.`;
  }
  await audit(deps, actor, 'open-file', c.id, `${what} opened${receiving ? ' (transferred)' : ''}${granted}`);
  const card = noticeCard({
    title: breakable(f.name),
    text,
    tone: 'accent',
    actions: [
      receiving
        ? action('Back to the transfer', 'openTransfer', { caseId: c.id })
        : action('Back to the documents', 'caseFiles', { caseId: c.id }),
    ],
  });
  // The link is a button, not text: text on cards is shown literally and never becomes a link.
  card.actions = [{ type: 'Action.OpenUrl', title: 'Open document', url }, ...(card.actions ?? [])];
  return card;
};
