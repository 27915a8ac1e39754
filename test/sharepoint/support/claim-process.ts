// A second process racing for the same claims: opens the SharePoint store from the environment (as the bot would),
// waits for the agreed moment, then claims a key and creates a reminder record. Prints what it got as one JSON line.
// Usage: node -r ts-node/register/transpile-only claim-process.ts KEY START_AT_MS
import { credentialFor } from '../../../src/store/sharepoint/credential';
import { createGraphClient } from '../../../src/store/sharepoint/graph-client';
import { graphSettings } from '../../../src/store/sharepoint/provision-cli';
import { SharePointStore } from '../../../src/store/sharepoint/sharepoint-store';
import { isStoreError } from '../../../src/store/store';

async function main(): Promise<void> {
  const [key = 'key', startAt = '0'] = process.argv.slice(2);
  const graph = graphSettings(process.env);
  const client = createGraphClient({
    credential: credentialFor(graph),
    baseUrl: graph.baseUrl,
    retry: { maxRetries: 10, delaySeconds: 0 },
  });
  const store = await SharePointStore.open({ client, siteId: graph.siteId });
  // Sign in before the start, so both processes race on the claim itself.
  await store.settings.get('warm-up');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  const claimed = await store.claimOnce(key, new Date().toISOString());
  let created: 'created' | 'exists';
  try {
    await store.reminders.create({
      id: key,
      kind: 'review-due',
      to: 'adele',
      due: '2027-02-26',
      status: 'sending',
      claimedAt: new Date().toISOString(),
    });
    created = 'created';
  } catch (e) {
    if (!isStoreError(e, 'exists')) throw e;
    created = 'exists';
  }
  process.stdout.write(`${JSON.stringify({ pid: process.pid, claimed, created })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
