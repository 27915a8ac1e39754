// Evidence documents kept with a case: the kinds, the limits, and which files are accepted. Pure: the bytes are
// checked by src/app/files, which asks `file-type` what the content is (its magic bytes), never the name.
import type { CaseRecord, Person } from './types';
import { hasRole, isOwnSchool, maySeeNamed } from './case-machine';

export const FILE_KINDS = [
  'support-plan',
  'provision-map',
  'professional-report',
  'observation-notes',
  'other',
] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const FILE_KIND_LABELS: Record<FileKind, string> = {
  'support-plan': 'SEN support plan',
  'provision-map': 'Provision map',
  'professional-report': 'Professional report',
  'observation-notes': 'Observation notes',
  other: 'Other',
};

/** At most 25 MB a file and 20 files a case. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_FILES_PER_CASE = 20;
/** A file's name, as it will be shown and stored, is at most this long. */
export const MAX_FILE_NAME = 150;
/** And at most this many bytes as UTF-8 (what disks and SharePoint count): 150 "é" are 300 bytes. */
export const MAX_FILE_NAME_BYTES = 255;

/** Names Windows and SharePoint keep for devices ("CON", "com1.pdf"), whatever follows the first dot. */
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

/**
 * What the content may be, by what `file-type` reports from the magic bytes. Word and Excel are accepted as the
 * Office Open XML formats (docx, xlsx), which it recognises by the parts inside the zip. The old binary formats
 * (.doc, .xls) it can only report as 'cfb', a container that is also what Windows installers (.msi) and many other
 * files are made of, so it cannot tell a Word document from anything else: they are refused, with the advice to save
 * them as .docx or .xlsx. A password-protected (encrypted) .docx or .xlsx is a 'cfb' container too, and cannot be
 * read either, so the refusal names both.
 */
export const ACCEPTED_TYPES: Record<string, { label: string; mime: string }> = {
  pdf: { label: 'PDF', mime: 'application/pdf' },
  docx: {
    label: 'Word',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  xlsx: { label: 'Excel', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  png: { label: 'PNG', mime: 'image/png' },
  jpg: { label: 'JPEG', mime: 'image/jpeg' },
};

/** A document kept with a case. The bytes are in the LA's storage at `location`; this is what the store records. */
export interface FileRecord {
  /** `${caseId}:f${first 16 hex digits of the hash}`: the same file twice on one case is the same id, and refused. */
  id: string;
  caseId: string;
  name: string;
  kind: FileKind;
  /** Bytes. */
  size: number;
  sha256: string;
  /** The type found in the content: one of ACCEPTED_TYPES. */
  ext: string;
  addedBy: string;
  addedAt: string;
  /** Where the storage keeps it: a path under the data folder, or a drive item id. */
  location: string;
  /** SharePoint mode: the item's own web link (the library's permissions decide who may open it). */
  webUrl?: string;
}

export const fileId = (caseId: string, sha256: string) => `${caseId}:f${sha256.slice(0, 16)}`;

/** Why a file's name is refused, or undefined for a name that may be kept as it is. */
export function fileNameProblem(name: string): string | undefined {
  if (!name.trim()) return 'The file has no name. Give it one and send it again.';
  if (/[/\\]/.test(name))
    return 'The file name contains a path (/ or \\). Rename the file and send it again.';
  // Control characters (C0, DEL, C1) and the bidirectional overrides that make a name read other than it is.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name))
    return 'The file name contains hidden control characters. Rename the file and send it again.';
  if ([...name].length > MAX_FILE_NAME || Buffer.byteLength(name, 'utf8') > MAX_FILE_NAME_BYTES)
    return `The file name is too long (at most ${MAX_FILE_NAME} characters, fewer with accented letters or symbols). Give it a shorter name and send it again.`;
  // Characters SharePoint will not have in a name, and names that are only dots.
  if (/["*:<>?|]/.test(name) || /^\.+$/.test(name.trim()))
    return 'The file name contains a character that cannot be stored (" * : < > ? |). Rename it and send it again.';
  if (name !== name.trim()) return 'The file name starts or ends with a space. Rename it and send it again.';
  // What SharePoint refuses (or treats as its own) in a name.
  if (name.endsWith('.'))
    return 'The file name ends with a full stop, which cannot be stored. Rename it and send it again.';
  if (name.startsWith('~$'))
    return 'The file name starts with "~$", the name Office gives its temporary copies. Send the document itself, not the copy Word or Excel keeps while it is open.';
  if (RESERVED_NAME.test(name))
    return 'The file name is one Windows keeps for itself (such as CON, PRN, AUX, NUL, COM1 or LPT1). Rename it and send it again.';
  if (/_vti_/i.test(name) || /\.lock$/i.test(name) || /^desktop\.ini$/i.test(name))
    return 'The file name contains a part SharePoint keeps for itself ("_vti_", ".lock" or "desktop.ini"). Rename it and send it again.';
  return undefined;
}

/** Why content of this detected type is refused, or undefined if it is accepted. */
export function fileTypeProblem(detected: string | undefined): string | undefined {
  if (detected && ACCEPTED_TYPES[detected]) return undefined;
  if (detected === 'cfb')
    return 'This is either an old-style Word or Excel file (.doc or .xls) or a password-protected document, and neither can be checked. Save it as .docx or .xlsx without a password (or as a PDF) and send it again.';
  return 'Only PDF, Word (.docx), Excel (.xlsx), PNG and JPEG files can be kept with a case, and this file is none of them, whatever its name says.';
}

/** "2.4 MB", "310 KB". */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Who may add a document to a case: the school's SENCo and the co-ordinator. */
export function mayAddFile(p: Person, c: Pick<CaseRecord, 'schoolId'>): boolean {
  return hasRole(p, 'coordinator') || (hasRole(p, 'senco') && isOwnSchool(p, c));
}

/**
 * Who may list and open a case's documents: those who may see the named case (the school's SENCo and head, the
 * co-ordinator), and, for the documents sent with a transfer, the receiving school's SENCo and head. Never the
 * panel (documents carry names), never an admin.
 */
export function mayOpenFile(
  p: Person,
  c: Pick<CaseRecord, 'schoolId'>,
  file: Pick<FileRecord, 'id'>,
  transfer?: { toSchoolId: string; fileIds: readonly string[]; withdrawnAt?: string },
): boolean {
  if (maySeeNamed(p, c)) return true;
  return (
    transfer !== undefined &&
    !transfer.withdrawnAt &&
    hasRole(p, 'senco', 'head') &&
    p.schoolId === transfer.toSchoolId &&
    transfer.fileIds.includes(file.id)
  );
}
