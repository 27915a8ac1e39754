// The local Graph server, driven by the real Microsoft Graph client signed in through the real @azure/identity
// ClientSecretCredential, over HTTPS trusted through NODE_EXTRA_CA_CERTS. Run with `npm run test:sharepoint`.
import assert from 'node:assert/strict';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  GraphError,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { generate } from 'selfsigned';
import { GraphServer } from '../support/graph/server';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

function graphClient(server: GraphServer, secret = server.clientSecret): Client {
  const credential = new ClientSecretCredential(server.tenantId, server.clientId, secret, {
    authorityHost: server.authorityHost,
    disableInstanceDiscovery: true,
  });
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] });
  return Client.initWithMiddleware({
    authProvider,
    baseUrl: server.url,
    customHosts: new Set(['localhost']),
  });
}

/** The GraphError a request ends in, checked for its status (and code). */
async function refused(request: Promise<unknown>, status: number, code?: string): Promise<GraphError> {
  try {
    await request;
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    assert.equal(e.statusCode, status, `${e.code ?? ''}: ${e.message}`);
    if (code) assert.equal(e.code, code);
    return e;
  }
  return assert.fail(`expected the request to be refused with ${status}`);
}

interface ListItem {
  id: string;
  eTag: string;
  '@odata.etag': string;
  fields: Record<string, unknown>;
}

interface Page {
  value: ListItem[];
  '@odata.nextLink'?: string;
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: { error?: { code: string } } & Record<string, unknown>;
}

describe('Graph test server: SharePoint lists over HTTPS with a real Entra sign-in', function () {
  const server = new GraphServer({ maxPageSize: 5 });
  let client: Client;
  let site: string;

  const makeList = (displayName: string, columns: Record<string, unknown>[]) =>
    client.api(`${site}/lists`).post({ displayName, columns, list: { template: 'genericList' } }) as Promise<{
      id: string;
    }>;
  const items = (list: string) => `${site}/lists/${list}/items`;

  before(async function () {
    await server.start();
    client = graphClient(server);
    site = `/sites/${server.siteId}`;
  });

  after(() => server.stop());

  beforeEach(() => {
    server.faults();
    server.latency(0);
    server.clearLog();
  });

  it('signs in with ClientSecretCredential and sends its bearer token on every Graph request', async () => {
    const got = (await client.api(site).get()) as { id: string; webUrl: string };
    assert.equal(got.id, server.siteId);
    assert.equal(got.webUrl, 'https://contoso.sharepoint.com/sites/eip');
    await client.api(`${site}/lists`).get();

    // MSAL read the authority's OpenID metadata, then asked the token endpoint, before the first Graph call.
    const paths = server.log.map((e) => `${e.method} ${e.path}`);
    const metadata = paths.indexOf(`GET /${server.tenantId}/v2.0/.well-known/openid-configuration`);
    const token = paths.indexOf(`POST /${server.tenantId}/oauth2/v2.0/token`);
    const firstGraph = server.log.findIndex((e) => e.path.startsWith('/v1.0/'));
    assert.ok(metadata >= 0 && metadata < token && token < firstGraph, paths.join('\n'));
    assert.ok(!paths.some((p) => p.includes('discovery/instance')), 'no instance discovery');

    const graph = server.log.filter((e) => e.path.startsWith('/v1.0/'));
    assert.equal(graph.length, 2);
    const bearer = graph[0]?.authorization ?? '';
    assert.match(bearer, /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    for (const e of graph) assert.equal(e.authorization, bearer);
    const claims = JSON.parse(Buffer.from(bearer.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.appid, server.clientId);
    assert.equal(claims.tid, server.tenantId);

    const anonymous = await fetch(`${server.url}/v1.0${site}`);
    assert.equal(anonymous.status, 401);
    assert.equal(
      ((await anonymous.json()) as { error: { code: string } }).error.code,
      'InvalidAuthenticationToken',
    );
    const forged = await fetch(`${server.url}/v1.0${site}`, { headers: { authorization: 'Bearer a.b.c' } });
    assert.equal(forged.status, 401);

    await refused(client.api('/sites/contoso.sharepoint.com,0,0').get(), 404, 'itemNotFound');
    await assert.rejects(graphClient(server, 'wrong-secret').api(site).get(), /AADSTS7000215/);
  });

  it("signs in with a certificate credential's client assertion (claims checked, signature not)", async () => {
    const pems = await generate([{ name: 'commonName', value: 'EIP bot app' }], { algorithm: 'sha256' });
    const credential = new ClientCertificateCredential(
      server.tenantId,
      server.clientId,
      { certificate: `${pems.private}\n${pems.cert}` },
      { authorityHost: server.authorityHost, disableInstanceDiscovery: true },
    );
    const token = await credential.getToken(GRAPH_SCOPE);
    const viaCertificate = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] }),
      baseUrl: server.url,
      customHosts: new Set(['localhost']),
    });
    assert.equal(((await viaCertificate.api(site).get()) as { id: string }).id, server.siteId);
    assert.equal(server.log.at(-1)?.authorization, `Bearer ${token.token}`);
    const other = new ClientCertificateCredential(
      server.tenantId,
      'not-this-app',
      { certificate: `${pems.private}\n${pems.cert}` },
      { authorityHost: server.authorityHost, disableInstanceDiscovery: true },
    );
    await assert.rejects(other.getToken(GRAPH_SCOPE), /AADSTS700016/);
  });

  it('creates lists with columns and adds columns, refusing what SharePoint refuses', async () => {
    const created = await makeList('Cases', [
      { name: 'RecordId', text: {}, indexed: true, enforceUniqueValues: true },
      { name: 'SchoolId', text: {}, indexed: true },
      { name: 'Body', text: { allowMultipleLines: true } },
      { name: 'Round', number: {} },
      { name: 'Open', boolean: {} },
      { name: 'Status', choice: { choices: ['submitted', 'closed'] } },
      { name: 'RaisedAt', dateTime: {} },
    ]);
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    await refused(makeList('cases', []), 409, 'nameAlreadyExists');

    const column = (await client
      .api(`${site}/lists/${created.id}/columns`)
      .post({ name: 'Version', number: {}, indexed: true })) as { name: string; indexed: boolean };
    assert.deepEqual([column.name, column.indexed], ['Version', true]);
    await refused(
      client.api(`${site}/lists/Cases/columns`).post({ name: 'Key', text: {}, enforceUniqueValues: true }),
      400,
      'invalidRequest',
    );
    await refused(
      client
        .api(`${site}/lists/Cases/columns`)
        .post({ name: 'Notes', text: { allowMultipleLines: true }, indexed: true }),
      400,
    );
    await refused(client.api(`${site}/lists/Cases/columns`).post({ name: 'schoolid', text: {} }), 409);

    const lists = (await client.api(`${site}/lists`).select('id,displayName').expand('columns').get()) as {
      value: { id: string; displayName: string; columns: { name: string; readOnly: boolean }[] }[];
    };
    const cases = lists.value.find((l) => l.displayName === 'Cases');
    assert.equal(cases?.id, created.id);
    const names = cases?.columns.map((c) => c.name) ?? [];
    for (const n of ['Title', 'ID', 'Created', 'Modified', 'RecordId', 'Version'])
      assert.ok(names.includes(n), n);
    assert.equal(((await client.api(`${site}/lists/Cases`).get()) as { id: string }).id, created.id);
    await refused(client.api(`${site}/lists/Nope`).get(), 404, 'itemNotFound');

    assert.ok(server.listNames().includes('Cases'));
    assert.deepEqual(server.columnsOf('Cases'), [
      { name: 'Title', type: 'text', indexed: false, enforceUniqueValues: false },
      { name: 'RecordId', type: 'text', indexed: true, enforceUniqueValues: true },
      { name: 'SchoolId', type: 'text', indexed: true, enforceUniqueValues: false },
      { name: 'Body', type: 'note', indexed: false, enforceUniqueValues: false },
      { name: 'Round', type: 'number', indexed: false, enforceUniqueValues: false },
      { name: 'Open', type: 'boolean', indexed: false, enforceUniqueValues: false },
      { name: 'Status', type: 'choice', indexed: false, enforceUniqueValues: false },
      { name: 'RaisedAt', type: 'dateTime', indexed: false, enforceUniqueValues: false },
      { name: 'Version', type: 'number', indexed: true, enforceUniqueValues: false },
    ]);
  });

  it('creates, reads, filters and pages items through @odata.nextLink', async () => {
    await makeList('Pages', [
      { name: 'SchoolId', text: {}, indexed: true },
      { name: 'Seq', number: {}, indexed: true },
      { name: 'Done', boolean: {}, indexed: true },
      { name: 'At', dateTime: {} },
    ]);
    const first = (await client.api(items('Pages')).post({
      fields: { Title: 'one', SchoolId: 'oak', Seq: 1, Done: false, At: '2026-11-27T10:00:00.123Z' },
    })) as ListItem;
    assert.equal(first.id, '1');
    assert.match(first.eTag, /^"[0-9a-f-]{36},1"$/);
    assert.equal(first['@odata.etag'], first.eTag);
    assert.equal(first.fields['@odata.etag'], first.eTag);
    assert.equal(first.fields.At, '2026-11-27T10:00:00Z', 'dateTime kept to the second');
    for (let seq = 2; seq <= 12; seq++) {
      await client
        .api(items('Pages'))
        .post({ fields: { Title: `t${seq}`, SchoolId: seq % 3 ? 'oak' : 'elm', Seq: seq } });
    }

    const one = (await client
      .api(`${items('Pages')}/1`)
      .expand('fields')
      .get()) as ListItem;
    assert.deepEqual([one.fields.Title, one.fields.Seq, one.fields.Done], ['one', 1, false]);
    assert.equal(
      (await client.api(`${items('Pages')}/2`).get()).fields,
      undefined,
      'no fields without $expand',
    );
    await refused(client.api(`${items('Pages')}/99`).get(), 404, 'itemNotFound');

    const elm = (await client
      .api(items('Pages'))
      .filter("fields/SchoolId eq 'ELM'")
      .expand('fields')
      .get()) as Page;
    assert.deepEqual(
      elm.value.map((i) => i.fields.Seq),
      [3, 6, 9, 12],
    );
    const both = (await client
      .api(items('Pages'))
      .filter("fields/SchoolId eq 'oak' and fields/Seq eq 4")
      .expand('fields')
      .get()) as Page;
    assert.deepEqual(
      both.value.map((i) => i.id),
      ['4'],
    );
    const done = (await client.api(items('Pages')).filter('fields/Done eq false').get()) as Page;
    assert.deepEqual(
      done.value.map((i) => i.id),
      ['1'],
    );

    // $top 4 gives pages of 4; $top 50 is cut to the server's page size (5); nextLink keeps the query.
    const seen: unknown[] = [];
    let page = (await client.api(items('Pages')).expand('fields($select=Seq)').top(4).get()) as Page;
    let pages = 1;
    for (;;) {
      assert.ok(page.value.length <= 4);
      for (const i of page.value) {
        assert.deepEqual(Object.keys(i.fields).sort(), ['@odata.etag', 'Seq']);
        seen.push(i.fields.Seq);
      }
      const next = page['@odata.nextLink'];
      if (!next) break;
      assert.ok(next.startsWith(`${server.url}/v1.0/`), next);
      page = (await client.api(next).get()) as Page;
      pages++;
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(pages, 3);
    const big = (await client.api(items('Pages')).top(50).filter("fields/SchoolId eq 'oak'").get()) as Page;
    assert.equal(big.value.length, 5);
    const rest = (await client.api(big['@odata.nextLink'] ?? '').get()) as Page;
    assert.deepEqual(
      [...big.value, ...rest.value].map((i) => i.id),
      ['1', '2', '4', '5', '7', '8', '10', '11'],
    );
    assert.equal(rest['@odata.nextLink'], undefined);

    assert.equal(server.itemsOf('Pages').length, 12);
    assert.deepEqual(server.itemsOf('Pages')[0], {
      id: '1',
      Title: 'one',
      SchoolId: 'oak',
      Seq: 1,
      Done: false,
      At: '2026-11-27T10:00:00Z',
    });
  });

  it('refuses a $filter on a column that is not indexed unless Prefer allows it', async () => {
    await makeList('Unindexed', [{ name: 'Colour', text: {} }]);
    await client.api(items('Unindexed')).post({ fields: { Title: 'a', Colour: 'red' } });
    const error = await refused(
      client.api(items('Unindexed')).filter("fields/Colour eq 'red'").get(),
      400,
      'invalidRequest',
    );
    assert.match(error.message, /not indexed/);
    await refused(client.api(items('Unindexed')).filter("fields/Title eq 'a'").get(), 400);
    const allowed = (await client
      .api(items('Unindexed'))
      .header('Prefer', 'HonorNonIndexedQueriesWarningMayFailRandomly')
      .filter("fields/Colour eq 'red'")
      .get()) as Page;
    assert.equal(allowed.value.length, 1);
  });

  it('answers 412 to a stale If-Match and applies a current one', async () => {
    await makeList('Etags', [{ name: 'Note', text: {} }]);
    const item = (await client.api(items('Etags')).post({ fields: { Title: 'v1' } })) as ListItem;
    const updated = (await client
      .api(`${items('Etags')}/${item.id}/fields`)
      .header('If-Match', item.eTag)
      .patch({ Title: 'v2', Note: 'x' })) as Record<string, unknown>;
    const eTag2 = String(updated['@odata.etag']);
    assert.match(eTag2, /,2"$/);
    assert.equal(updated.Title, 'v2');

    const stale = await refused(
      client
        .api(`${items('Etags')}/${item.id}/fields`)
        .header('If-Match', item.eTag)
        .patch({ Title: 'lost' }),
      412,
      'preconditionFailed',
    );
    assert.match(stale.message, /does not match/);
    assert.equal(server.itemsOf('Etags')[0]?.Title, 'v2');

    // PATCH on the item with { fields }, and If-Match: *; null clears a value.
    const viaItem = (await client
      .api(`${items('Etags')}/${item.id}`)
      .header('If-Match', '*')
      .patch({ fields: { Note: null } })) as ListItem;
    assert.match(viaItem.eTag, /,3"$/);
    assert.equal(viaItem.fields.Note, undefined);

    await refused(
      client
        .api(`${items('Etags')}/${item.id}`)
        .header('If-Match', eTag2)
        .delete(),
      412,
    );
    await client
      .api(`${items('Etags')}/${item.id}`)
      .header('If-Match', viaItem.eTag)
      .delete();
    await refused(client.api(`${items('Etags')}/${item.id}`).get(), 404);
    await refused(client.api(`${items('Etags')}/${item.id}/fields`).patch({ Title: 'x' }), 404);
    await refused(client.api(`${items('Etags')}/${item.id}`).delete(), 404);
    const next = (await client.api(items('Etags')).post({ fields: { Title: 'new' } })) as ListItem;
    assert.equal(next.id, '2', 'ids are not reused');
  });

  it('answers 409 to a duplicate in a unique column, ignoring case, on create and update', async () => {
    await makeList('Unique', [{ name: 'Key', text: {}, indexed: true, enforceUniqueValues: true }]);
    await client.api(items('Unique')).post({ fields: { Key: 'case-1' } });
    const other = (await client.api(items('Unique')).post({ fields: { Key: 'case-2' } })) as ListItem;
    const dup = await refused(
      client.api(items('Unique')).post({ fields: { Key: 'CASE-1' } }),
      409,
      'nameAlreadyExists',
    );
    assert.match(dup.message, /duplicate values/);
    await refused(client.api(`${items('Unique')}/${other.id}/fields`).patch({ Key: 'case-1' }), 409);
    assert.deepEqual(
      server.itemsOf('Unique').map((i) => i.Key),
      ['case-1', 'case-2'],
    );
  });

  it('refuses unknown fields and values of the wrong type, and sees a dropped column as gone', async () => {
    await makeList('Types', [
      { name: 'Count', number: {} },
      { name: 'Flag', boolean: {} },
      { name: 'Kind', choice: { choices: ['a', 'b'] } },
    ]);
    const bad = [
      { Nope: 1 },
      { Count: '5' },
      { Flag: 'yes' },
      { Kind: 'c' },
      { Title: 'x'.repeat(256) },
      { Created: '2026-01-01T00:00:00Z' },
    ];
    for (const fields of bad)
      await refused(client.api(items('Types')).post({ fields }), 400, 'invalidRequest');
    assert.equal(server.itemsOf('Types').length, 0, 'a refused create adds nothing');

    await client.api(items('Types')).post({ fields: { Title: 'ok', Count: 5 } });
    server.dropColumn('Types', 'Count');
    const error = await refused(client.api(items('Types')).post({ fields: { Count: 1 } }), 400);
    assert.match(error.message, /Field 'Count' is not recognized/);
    assert.deepEqual(server.itemsOf('Types'), [{ id: '1', Title: 'ok' }]);
    const columns = (await client.api(`${site}/lists/Types/columns`).get()) as { value: { name: string }[] };
    assert.ok(!columns.value.some((c) => c.name === 'Count'));
  });

  it('runs a $batch in order, honouring dependsOn and answering 424 after a failed dependency', async () => {
    await makeList('Batch', [{ name: 'Key', text: {}, indexed: true, enforceUniqueValues: true }]);
    const url = `${site}/lists/Batch/items`;
    const json = { 'Content-Type': 'application/json' };
    const result = (await client.api('/$batch').post({
      requests: [
        { id: '1', method: 'POST', url, headers: json, body: { fields: { Title: 'a', Key: 'k1' } } },
        { id: '2', method: 'POST', url, headers: json, body: { fields: { Key: 'k2' } }, dependsOn: ['1'] },
        { id: '3', method: 'POST', url, headers: json, body: { fields: { Key: 'K1' } }, dependsOn: ['2'] },
        { id: '4', method: 'GET', url: `${url}?$expand=fields`, dependsOn: ['3'] },
        { id: '5', method: 'GET', url: `${url}?$expand=fields&$filter=fields/Key eq 'k2'` },
      ],
    })) as { responses: BatchResponse[] };
    assert.deepEqual(
      result.responses.map((r) => [r.id, r.status]),
      [
        ['1', 201],
        ['2', 201],
        ['3', 409],
        ['4', 424],
        ['5', 200],
      ],
    );
    assert.equal(result.responses[2]?.body?.error?.code, 'nameAlreadyExists');
    assert.equal((result.responses[4]?.body?.value as ListItem[])[0]?.fields.Key, 'k2');

    const batched = server.log.filter((e) => e.batched);
    assert.equal(batched.length, 5);
    const top = server.log.find((e) => e.path === '/v1.0/$batch');
    for (const e of batched) assert.equal(e.authorization, top?.authorization);

    const tooMany = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url }));
    await refused(client.api('/$batch').post({ requests: tooMany }), 400);
    await refused(
      client.api('/$batch').post({ requests: [{ id: '1', method: 'POST', url, body: {} }] }),
      400,
    );

    // The client's own BatchRequestContent sends urls as '/v1.0/…', which the server accepts as Graph does.
    const content = new BatchRequestContent([
      { id: 'a', request: new Request(`${server.url}/v1.0${url}/1?$expand=fields`) },
      { id: 'b', request: new Request(`${server.url}/v1.0${site}`) },
    ]);
    const response = new BatchResponseContent(await client.api('/$batch').post(await content.getContent()));
    assert.equal(response.getResponseById('a').status, 200);
    assert.equal(((await response.getResponseById('a').json()) as ListItem).fields.Key, 'k1');
    assert.equal(response.getResponseById('b').status, 200);
  });

  it('throttles with 429 and Retry-After, which the RetryHandler honours, and a refused write changes nothing', async () => {
    await makeList('Throttled', [{ name: 'Key', text: {}, indexed: true, enforceUniqueValues: true }]);
    server.faults({ rate: 0.4, statuses: [429], retryAfterSeconds: 0.05, seed: 7 });
    const retry = [new RetryHandlerOptions(0, 10)];
    const started = Date.now();
    for (let i = 0; i < 10; i++) {
      await client
        .api(items('Throttled'))
        .middlewareOptions(retry)
        .post({ fields: { Key: `k${i}` } });
    }
    const throttled = server.log.filter((e) => e.status === 429);
    assert.ok(throttled.length >= 2, `429s: ${throttled.length}`);
    assert.ok(Date.now() - started >= throttled.length * 50, 'waited Retry-After each time');
    assert.equal(server.log.filter((e) => e.path.endsWith('/items') && e.status === 201).length, 10);

    // Inside a $batch each sub-request may be throttled on its own, with Retry-After in its headers, the batch 200.
    const url = `${site}/lists/Throttled/items`;
    const requests = Array.from({ length: 8 }, (_, i) => ({
      id: String(i + 1),
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json' },
      body: { fields: { Key: `b${i}` } },
    }));
    const result = (await client.api('/$batch').middlewareOptions(retry).post({ requests })) as {
      responses: BatchResponse[];
    };
    server.faults();
    const statuses = result.responses.map((r) => r.status);
    assert.ok(statuses.includes(429) && statuses.includes(201), statuses.join(','));
    for (const r of result.responses.filter((x) => x.status === 429))
      assert.equal(r.headers['Retry-After'], '0.05');
    const created = server.itemsOf('Throttled').map((i) => String(i.Key));
    assert.equal(created.length, 10 + statuses.filter((s) => s === 201).length);
    for (const r of result.responses) {
      const key = `b${Number(r.id) - 1}`;
      assert.equal(created.includes(key), r.status === 201, key);
    }
  });

  it('loses the response of an applied write with lostResponseRate, so a retried create meets itself', async () => {
    await makeList('Lost', [{ name: 'Key', text: {}, indexed: true, enforceUniqueValues: true }]);
    server.faults({ rate: 0, lostResponseRate: 1 });
    await refused(
      client
        .api(items('Lost'))
        .middlewareOptions([new RetryHandlerOptions(0, 0)])
        .post({ fields: { Key: 'once' } }),
      504,
    );
    assert.deepEqual(
      server.itemsOf('Lost').map((i) => i.Key),
      ['once'],
    );
    // The RetryHandler retries a 504: the unique column turns the duplicate create into a 409.
    await refused(
      client
        .api(items('Lost'))
        .middlewareOptions([new RetryHandlerOptions(0, 1)])
        .post({ fields: { Key: 'twice' } }),
      409,
    );
    assert.deepEqual(
      server.itemsOf('Lost').map((i) => i.Key),
      ['once', 'twice'],
    );
    server.faults();
  });

  it('adds latency to every request', async () => {
    server.latency(200);
    let started = Date.now();
    await client.api(site).get();
    assert.ok(Date.now() - started >= 200);
    server.latency(0);
    started = Date.now();
    await client.api(site).get();
    assert.ok(Date.now() - started < 200);
  });
});
