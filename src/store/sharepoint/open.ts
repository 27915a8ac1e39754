// Opens the SharePoint store for the bot's configuration: signs in to Graph with the configured credential and checks
// that the site and its lists are there, once, at start. Anything missing stops start-up with one line.
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from 'pino';
import type { GraphConfig } from '../../config';
import { credentialFor } from './credential';
import { createGraphClient } from './graph-client';
import { SharePointStore } from './sharepoint-store';

export async function openSharePoint(
  graph: GraphConfig,
  log: Logger,
): Promise<{ store: SharePointStore; client: Client }> {
  const client = createGraphClient({ credential: credentialFor(graph), baseUrl: graph.baseUrl });
  const store = await SharePointStore.open({ client, siteId: graph.siteId, log });
  return { store, client };
}
