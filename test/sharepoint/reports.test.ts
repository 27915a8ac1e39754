// A report's CSV in SharePoint mode: uploaded to the site's document library (folder "EIP reports"), and the card
// links to the file there; the bot serves no export links of its own.
import assert from 'node:assert/strict';
import { P, button, startHarness, textOf } from '../support/harness';
import type { GraphServer } from '../support/graph/server';
import { Servers, envFor, provision } from './support/sharepoint';

const sharepointEnv = (server: GraphServer): Record<string, string> =>
  ({ EIP_STORE: 'sharepoint', ...envFor(server) }) as Record<string, string>;

describe('report exports on the SharePoint store', function () {
  this.timeout(120_000);
  const servers = new Servers();
  afterEach(() => servers.stopAll());

  it("uploads the co-ordinator's CSV to the site's library and links to it there", async () => {
    const server = await servers.start();
    await provision(server);
    const now = new Date('2026-11-27T10:00:00Z');
    const h = await startHarness({ now: () => now, env: sharepointEnv(server) });
    try {
      await h.say(P.adele, 'help');
      const report = await h.press(P.adele, 'report', { year: '2026-27' });
      const card = await h.press(P.adele, 'reportCsv', button(report, 'Export CSV').data);
      const [file, ...more] = server.driveFilePaths();
      assert.equal(more.length, 0);
      assert.match(file ?? '', /^EIP reports\/eip-report-2026-27-20261127-1000\.csv$/);
      const stored = server.driveFile(file!)!;
      assert.deepEqual([...stored.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.match(stored.bytes.toString('utf8'), /\r\nFigure,Breakdown,LA-wide\r\n/);
      assert.equal(stored.contentType, 'text/csv; charset=utf-8');
      const open = (card.actions as { type: string; url?: string }[]).find(
        (a) => a.type === 'Action.OpenUrl',
      );
      assert.match(
        open?.url ?? '',
        /\/Shared%20Documents\/EIP%20reports\/eip-report-2026-27-20261127-1000\.csv$/,
      );
      assert.match(textOf(card), /document library/);
      assert.equal((await fetch(`${h.bot.url}/exports/${'A'.repeat(43)}`)).status, 404);
    } finally {
      await h.stop();
    }
  });
});
