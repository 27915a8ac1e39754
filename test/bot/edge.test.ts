// The HTTP edge: malformed activities get a plain 400, replies never go to a service that is not the Bot Connector,
// local mode listens on loopback only, activities from another tenant or channel are dropped and audited, and
// /healthz says how the store is without waiting on it.
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import sinon from 'sinon';
import { ConfigError, DEFAULT_SERVICE_URLS, loadConfig } from '../../src/config';
import { isAllowedServiceUrl } from '../../src/bot/activity';
import { start } from '../../src/index';
import { createLogger } from '../../src/logger';
import { FakeConnector } from '../support/connector';
import { P, TENANT, personalChat, startHarness, textOf, type Harness } from '../support/harness';
import { APP_ID, startAuthBot, type AuthBot } from '../support/auth/bot';
import { TokenIssuer } from '../support/auth/issuer';

/** A Teams-shaped activity from Megan in her personal chat. */
const teams = (serviceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'message',
  text: 'help',
  channelId: 'msteams',
  serviceUrl,
  from: { id: `29:${P.megan.aadObjectId}`, name: P.megan.name, aadObjectId: P.megan.aadObjectId },
  recipient: { id: '28:bot', name: 'EIP bot' },
  conversation: { id: personalChat(P.megan), conversationType: 'personal', tenantId: TENANT },
  channelData: { tenant: { id: TENANT } },
  ...extra,
});

const without = (o: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

describe('the HTTP edge', () => {
  describe('malformed activities', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness();
    });
    afterEach(async () => h.stop());

    /** Nothing happened: no reply, nothing remembered. */
    async function assertUntouched() {
      assert.equal(h.connector.sent.length, 0);
      assert.equal((await h.bot.store.conversations.find()).length, 0);
    }

    const raw = (body: string, contentType: string) =>
      fetch(`${h.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });

    for (const [what, strip, message] of [
      ['no type', 'type', 'The activity has no type.'],
      ['no conversation', 'conversation', 'The activity has no conversation.'],
      ['no serviceUrl', 'serviceUrl', 'The activity has no serviceUrl.'],
    ] as const) {
      it(`answers an activity with ${what} 400, plainly`, async () => {
        const r = await h.post(without(teams(h.connector.url), strip));
        assert.equal(r.status, 400);
        assert.deepEqual(r.body, { error: message });
        await assertUntouched();
      });
    }

    it('answers an activity sent form-encoded 400, and does not act on it', async () => {
      const form = new URLSearchParams({
        type: 'message',
        text: 'help',
        channelId: 'msteams',
        serviceUrl: h.connector.url,
        'conversation[id]': personalChat(P.megan),
      });
      const r = await raw(form.toString(), 'application/x-www-form-urlencoded');
      assert.equal(r.status, 400);
      assert.deepEqual(await r.json(), { error: 'An activity must be sent as application/json.' });
      await assertUntouched();
    });

    it('answers a body that is not JSON 400, without the parser talking', async () => {
      const r = await raw('{"type": "message",', 'application/json');
      assert.equal(r.status, 400);
      assert.deepEqual(await r.json(), { error: 'The body is not valid JSON.' });
      await assertUntouched();
    });

    it('still answers a well-formed message', async () => {
      const r = await h.post(teams(h.connector.url));
      assert.equal(r.status, 200);
      assert.match(textOf(h.connector.cardsIn(personalChat(P.megan))), /My cases/);
    });
  });

  describe('the Bot Connector services replies may go to', () => {
    let issuer: TokenIssuer;
    let b: AuthBot;
    let foreign: FakeConnector;
    beforeEach(async () => {
      issuer = new TokenIssuer();
      await issuer.start();
      b = await startAuthBot(issuer.endpoints());
      // Stands in for a service the bot must never call: it records anything that reaches it.
      foreign = new FakeConnector();
      await foreign.start();
    });
    afterEach(async () => {
      await foreign.stop();
      await b.stop();
      await issuer.stop();
    });

    for (const kind of ['message', 'press'] as const) {
      it(`refuses a ${kind} naming a service that is not allowed, even with a valid token, and calls nothing`, async () => {
        const activity =
          kind === 'message' ? teams(foreign.url) : b.press(P.megan, { serviceUrl: foreign.url });
        const token = issuer.sign(issuer.claims(APP_ID, foreign.url));
        const r = await b.post(activity, { authorization: `Bearer ${token}` });
        assert.equal(r.status, 403);
        assert.deepEqual(r.body, { error: 'The serviceUrl is not a Bot Framework service.' });
        assert.equal(foreign.sent.length, 0, 'the foreign service was never called');
        assert.deepEqual(
          await b.stored(),
          { conversations: 0, audit: 0 },
          'its address was not kept for later messages either',
        );
      });
    }

    it('by default are Teams in the public cloud and the Bot Framework, over https', () => {
      const allowed = (url: string) => isAllowedServiceUrl(url, DEFAULT_SERVICE_URLS);
      for (const url of [
        'https://smba.trafficmanager.net/uk/',
        'https://smba.trafficmanager.net/emea/',
        'https://smba.trafficmanager.net:443/teams/',
        'https://webchat.botframework.com/',
        'https://europe.directline.botframework.com/',
      ])
        assert.ok(allowed(url), url);
      for (const url of [
        'http://smba.trafficmanager.net/uk/',
        'https://smba.trafficmanager.net.evil.example/uk/',
        'https://smba.trafficmanager.net:8443/uk/',
        'https://smba.trafficmanager.net@evil.example/',
        'https://evil.example/smba.trafficmanager.net/',
        'https://botframework.com.evil.example/',
        'https://evilbotframework.com/',
        'not a url',
      ])
        assert.ok(!allowed(url), url);
    });

    it('are set by EIP_SERVICE_URLS, and a value that is not an https origin stops start-up naming it', () => {
      const auth = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p' };
      assert.deepEqual(loadConfig(auth).serviceUrls, DEFAULT_SERVICE_URLS);
      assert.deepEqual(
        loadConfig({
          ...auth,
          EIP_SERVICE_URLS: 'https://smba.trafficmanager.net, https://smba.infra.gcc.teams.microsoft.com/',
        }).serviceUrls,
        ['https://smba.trafficmanager.net', 'https://smba.infra.gcc.teams.microsoft.com'],
      );
      for (const bad of ['http://smba.trafficmanager.net', 'https://smba.trafficmanager.net/uk/', 'smba'])
        assert.throws(
          () => loadConfig({ ...auth, EIP_SERVICE_URLS: bad }),
          (e: unknown) => e instanceof ConfigError && /EIP_SERVICE_URLS/.test(e.message),
          bad,
        );
    });
  });

  describe('the address it listens on', () => {
    it('is loopback only in local mode, every interface once authenticated, or EIP_BIND_HOST', () => {
      assert.equal(loadConfig({}).host, '127.0.0.1');
      assert.equal(loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p' }).host, '0.0.0.0');
      assert.equal(
        loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p', EIP_BIND_HOST: '10.1.2.3' }).host,
        '10.1.2.3',
      );
      assert.throws(() => loadConfig({ EIP_BIND_HOST: 'everywhere' }), /EIP_BIND_HOST/);
    });

    it('is 127.0.0.1 when the bot starts in local mode', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-bind-'));
      const config = loadConfig({
        PORT: '0',
        EIP_DATA_DIR: dataDir,
        EIP_DIRECTORY: path.join(__dirname, '..', 'fixtures', 'directory.json'),
        EIP_PLAYGROUND: 'off',
      });
      const bot = await start(
        { ...config, port: 0 },
        { log: createLogger(undefined, 'silent'), scheduler: false },
      );
      try {
        assert.equal(bot.host, '127.0.0.1');
        assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
      } finally {
        await bot.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('tenancy', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness({ env: { EIP_TENANT_ID: TENANT } });
    });
    afterEach(async () => h.stop());

    const OTHER = '22222222-0000-0000-0000-000000000000';
    const elsewhere = (extra: Record<string, unknown>) =>
      teams(h.connector.url, {
        conversation: { id: personalChat(P.megan), conversationType: 'personal', tenantId: OTHER },
        channelData: { tenant: { id: OTHER } },
        ...extra,
      });
    const press = (extra: Record<string, unknown>) => ({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'myCases', data: {} } },
      ...extra,
    });

    /** The one trace a refusal leaves: an audit entry with the claimed id and the reason, and no name. */
    async function assertAuditedOnly(reason: RegExp) {
      assert.equal(h.connector.sent.length, 0, 'nothing was sent');
      assert.equal((await h.bot.store.conversations.find()).length, 0, 'nobody was remembered');
      const audit = await h.bot.store.audit.list();
      assert.equal(audit.length, 1);
      const [entry] = audit;
      assert.equal(entry!.action, 'refused-activity');
      assert.equal(entry!.outcome, 'refused');
      assert.equal(entry!.actor, P.megan.aadObjectId);
      assert.match(entry!.detail, reason);
      assert.doesNotMatch(JSON.stringify(entry), /Megan|Bowen/);
    }

    it('drops a message from another tenant without a word, and audits it', async () => {
      const r = await h.post(elsewhere({}));
      assert.equal(r.status, 200);
      assert.equal(r.body, undefined);
      await assertAuditedOnly(new RegExp(`tenant ${OTHER}`));
    });

    it('answers a press from another tenant 403, and audits it', async () => {
      const r = await h.post(elsewhere(press({})));
      assert.equal(r.status, 403);
      await assertAuditedOnly(new RegExp(`tenant ${OTHER}`));
    });

    it('drops activities from a channel other than Teams, and audits them', async () => {
      const r = await h.post(teams(h.connector.url, { channelId: 'webchat' }));
      assert.equal(r.status, 200);
      await assertAuditedOnly(/channel webchat/);
      const pressed = await h.post(teams(h.connector.url, press({ channelId: 'directline' })));
      assert.equal(pressed.status, 403);
      assert.equal((await h.bot.store.audit.list()).length, 2);
    });

    it('serves its own tenant on Teams as before', async () => {
      const cards = await h.say(P.megan, 'help');
      assert.match(textOf(cards), /My cases/);
      assert.equal((await h.bot.store.audit.list()).length, 0);
    });
  });

  describe('/healthz', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness();
    });
    afterEach(async () => {
      sinon.restore();
      await h.stop();
    });

    const health = async () => {
      const res = await fetch(`${h.bot.url}/healthz`);
      return { status: res.status, body: (await res.json()) as unknown };
    };

    it("answers 200 with the store's kind and state when it is ready", async () => {
      assert.deepEqual(await health(), {
        status: 200,
        body: { ok: true, store: { kind: 'sqlite', state: 'ready' } },
      });
    });

    it('answers 503 when the store is closed', async () => {
      await h.bot.store.close();
      assert.deepEqual(await health(), {
        status: 503,
        body: { ok: false, store: { kind: 'sqlite', state: 'closed' } },
      });
    });

    it('answers 503 "slow" rather than wait on a store that does not answer', async () => {
      sinon.stub(h.bot.store, 'health').returns(new Promise(() => undefined));
      assert.deepEqual(await health(), {
        status: 503,
        body: { ok: false, store: { kind: 'sqlite', state: 'slow' } },
      });
    });

    it('answers 503 "unreachable" when the store cannot say', async () => {
      sinon.stub(h.bot.store, 'health').rejects(new Error('ECONNRESET at graph.microsoft.com'));
      assert.deepEqual(await health(), {
        status: 503,
        body: { ok: false, store: { kind: 'sqlite', state: 'unreachable' } },
      });
    });
  });
});
