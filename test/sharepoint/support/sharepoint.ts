// Helpers for the SharePoint store tests: a fresh local Graph server with the lists provisioned, and clients signed in
// to it the way the bot signs in (ClientSecretCredential through createGraphCredential, createGraphClient).
import assert from 'node:assert/strict';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createGraphCredential } from '../../../src/store/sharepoint/credential';
import { readSite } from '../../../src/store/sharepoint/graph';
import { createGraphClient } from '../../../src/store/sharepoint/graph-client';
import { applyPlan, planProvision } from '../../../src/store/sharepoint/provision';
import { SharePointStore } from '../../../src/store/sharepoint/sharepoint-store';
import { GraphServer, type GraphServerOptions } from '../../support/graph/server';

/** Short waits: faults in these tests answer with Retry-After in hundredths of a second. */
export const FAST_RETRY = { maxRetries: 10, delaySeconds: 0 };

export function clientFor(server: GraphServer): Client {
  const credential = createGraphCredential({
    tenantId: server.tenantId,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    authorityHost: server.authorityHost,
  });
  return createGraphClient({ credential, baseUrl: server.url, retry: FAST_RETRY });
}

/** The environment `npm run provision` and a bot would run with against this server. */
export const envFor = (server: GraphServer): NodeJS.ProcessEnv => ({
  SHAREPOINT_SITE_ID: server.siteId,
  GRAPH_TENANT_ID: server.tenantId,
  GRAPH_CLIENT_ID: server.clientId,
  GRAPH_CLIENT_SECRET: server.clientSecret,
  GRAPH_BASE_URL: server.url,
  GRAPH_AUTHORITY_HOST: server.authorityHost,
});

export async function provision(server: GraphServer): Promise<void> {
  const client = clientFor(server);
  const plan = planProvision(await readSite(client, server.siteId));
  const result = await applyPlan(client, plan, () => undefined);
  assert.deepEqual(result.failures, []);
}

export async function openStore(server: GraphServer): Promise<SharePointStore> {
  return SharePointStore.open({ client: clientFor(server), siteId: server.siteId, strictFilters: true });
}

/** Servers started by a test, stopped after it; every Graph request each received must have carried a token. */
export class Servers {
  private readonly running: GraphServer[] = [];

  async start(options?: GraphServerOptions): Promise<GraphServer> {
    const server = new GraphServer(options);
    await server.start();
    this.running.push(server);
    return server;
  }

  async stopAll(): Promise<void> {
    const servers = this.running.splice(0);
    await Promise.all(servers.map((s) => s.stop()));
    for (const s of servers) assertAllAuthorised(s);
  }
}

export function assertAllAuthorised(server: GraphServer): void {
  const graph = server.log.filter((e) => e.path === '/v1.0' || e.path.startsWith('/v1.0/'));
  const bare = graph.filter((e) => !/^Bearer \S+$/.test(e.authorization ?? ''));
  assert.deepEqual(
    bare.map((e) => `${e.method} ${e.path}`),
    [],
    'every Graph request carries the bearer token',
  );
}
