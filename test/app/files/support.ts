// Files for the evidence tests: real PDF, Word, Excel, PNG and JPEG content made here (nothing binary in the
// repository), a renamed executable, and a stand-in for the OneDrive link Teams gives the bot to download a file from.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import AdmZip from 'adm-zip';
import { PNG } from 'pngjs';
import { activityFrom, personalChat, type Harness, type TestPerson } from '../../support/harness';

export const pdf = (text = 'Support plan') =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

function officeZip(part: string, contentType: string, body: string): Buffer {
  const zip = new AdmZip();
  zip.addFile(
    '[Content_Types].xml',
    Buffer.from(
      `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/${part}" ContentType="${contentType}"/></Types>`,
    ),
  );
  zip.addFile(part, Buffer.from(body));
  return zip.toBuffer();
}

export const docx = () =>
  officeZip(
    'word/document.xml',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    '<w:document/>',
  );
export const xlsx = () =>
  officeZip(
    'xl/workbook.xml',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
    '<workbook/>',
  );
export const png = () => {
  const image = new PNG({ width: 2, height: 2 });
  image.data.fill(200);
  return PNG.sync.write(image);
};
/** The start of a JFIF file: enough for its magic bytes. */
export const jpeg = () =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0'),
    Buffer.alloc(64, 1),
  ]);
/** A Windows executable's header. */
export const exe = () =>
  Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(64)]);
/** An old-style Word file's container (OLE compound file): 'cfb' to file-type, whatever is inside. */
export const cfb = () =>
  Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 0)]);

/** A stand-in for the sender's OneDrive: serves each file at its own path, and counts the downloads. */
export class FileHost {
  private readonly files = new Map<string, Buffer | (() => Buffer)>();
  private server?: http.Server;
  readonly downloads: string[] = [];
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      this.downloads.push(path);
      const found = this.files.get(path);
      if (!found) {
        // (restify, loaded in this process, patches writeHead so that it does not return the response)
        res.writeHead(404);
        res.end();
        return;
      }
      const bytes = typeof found === 'function' ? found() : found;
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(bytes);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Serves these bytes; answers the download link Teams would give the bot. */
  put(path: string, bytes: Buffer | (() => Buffer)): string {
    this.files.set(path, bytes);
    return `${this.url}${path}?tempauth=x`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** A card's text as a person reads it: without the invisible word joiners that keep it from becoming links. */
export const plain = (text: string) => text.replace(/\u2060/g, '');

/** The activity Teams sends when someone sends the bot a file in their 1:1 chat. */
export const fileActivity = (h: Harness, p: TestPerson, name: string, downloadUrl: string) => ({
  ...activityFrom(h.connector.url, p, 'personal'),
  type: 'message',
  text: '',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.teams.file.download.info',
      contentUrl: 'https://contoso-my.sharepoint.com/personal/x/Documents/Microsoft Teams Chat Files/x',
      name,
      content: {
        downloadUrl,
        uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C8C',
        fileType: name.split('.').pop(),
      },
    },
  ],
});

/** Sends a file to the bot; answers the card it replied with. */
export async function sendFile(
  h: Harness,
  p: TestPerson,
  name: string,
  downloadUrl: string,
): Promise<Record<string, unknown>> {
  const mark = h.connector.mark();
  const r = await h.post(fileActivity(h, p, name, downloadUrl));
  if (r.status >= 300) throw new Error(`file message answered ${r.status}`);
  const cards = h.connector.cardsIn(personalChat(p), mark);
  if (cards.length !== 1) throw new Error(`expected one card, got ${cards.length}`);
  return cards[0]!;
}
