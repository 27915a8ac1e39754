// Fills a provisioned site's schools and people lists from the test directory, as `npm run provision --
// --seed-directory` does.
import fs from 'node:fs';
import path from 'node:path';
import { parseDirectory } from '../../../src/domain/directory';
import { readSite } from '../../../src/store/sharepoint/graph';
import { seedDirectory } from '../../../src/store/sharepoint/provision';
import type { GraphServer } from '../../support/graph/server';
import { clientFor, openStore } from './sharepoint';

export async function seedFixtureDirectory(server: GraphServer): Promise<void> {
  const raw = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'directory.json'), 'utf8'),
  ) as Record<string, unknown>;
  const client = clientFor(server);
  const store = await openStore(server);
  await seedDirectory(
    client,
    await readSite(client, server.siteId),
    parseDirectory(raw),
    raw,
    store,
    () => undefined,
  );
}
