// A case's evidence documents, each with an Open button (the link is made, and the open audited, when pressed).
import template from '../../cards/files.json';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import { spoken } from './speak';
import { breakable } from './breakable';

export interface FileRow {
  /** The file's name as its sender gave it: shown literally. */
  name: string;
  /** Kind, size, who added it and when. */
  line: string;
  /** The Open button's data (the file id), when the viewer may open it. */
  open?: { fileId: string; caseId: string };
}

export interface FilesCardData {
  title: string;
  subtitle?: string;
  text?: string;
  rows: FileRow[];
  actions: CardAction[];
}

export function filesCard(d: FilesCardData): Card {
  return render(template, {
    // Which case's documents and how many: never their names, which may carry the pupil's.
    speak: spoken(d.title, `${d.rows.length} document${d.rows.length === 1 ? '' : 's'}`),
    title: d.title,
    subtitle: d.subtitle ?? '',
    text: d.text ?? '',
    rows: d.rows.map((r) => ({
      name: breakable(r.name),
      line: r.line,
      open: Boolean(r.open),
      data: r.open ?? {},
    })),
    actions: actionsData(d.actions),
  });
}
