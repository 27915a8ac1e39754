// Authentication at /api/messages, for real: the bot checks Bot Framework tokens against OpenID metadata and keys a
// local token issuer serves, and refuses every forgery with a bare 401: no turn, nothing stored, nobody called.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import sinon from 'sinon';
import { P, personalChat } from '../support/harness';
import { APP_ID, APP_PASSWORD, startAuthBot, type AuthBot } from '../support/auth/bot';
import {
  EMULATOR_ISSUER,
  TokenIssuer,
  endpointsAt,
  strangerKey,
  unsignedToken,
} from '../support/auth/issuer';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('Bot Framework authentication', () => {
  let issuer: TokenIssuer;
  let b: AuthBot;
  before(async () => {
    issuer = new TokenIssuer();
    await issuer.start();
  });
  after(async () => issuer.stop());
  beforeEach(async () => {
    // botbuilder prints refused tokens (and the keys it has) to the console; the answers are what is tested.
    sinon.stub(console, 'error');
    b = await startAuthBot(issuer.endpoints());
  });
  afterEach(async () => {
    sinon.restore();
    await b.stop();
  });

  /** What Teams would send: claims naming this bot and the conversation's Bot Connector. */
  const claims = () => issuer.claims(APP_ID, b.connector.url);

  /** The bot refused the request without running a turn: a bare 401, nothing stored, nothing sent. */
  async function assertRefused(headers: Record<string, string>) {
    const r = await b.post(b.press(), headers);
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { error: 'Unauthorized.' }, 'nothing of why is given away');
    assert.deepEqual(await b.stored(), { conversations: 0, audit: 0 });
    assert.equal(b.connector.sent.length, 0);
  }

  it('answers a press that carries a token the Bot Connector signed', async () => {
    const r = await b.post(b.press(), bearer(issuer.sign(claims())));
    assert.equal(r.status, 200);
    const body = r.body as { type?: string; value?: unknown };
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.ok(body.value, 'the card came back');
    const megan = await b.bot.store.conversations.get(P.megan.aadObjectId);
    assert.equal(
      (megan?.value.reference.conversation as { id: string }).id,
      personalChat(P.megan),
      'the bot remembered how to reach her',
    );
    assert.ok(issuer.hits.includes('/channel/keys'), "the token was checked against the issuer's keys");
  });

  const forgeries: [string, () => Record<string, string>][] = [
    ['no token at all', () => ({})],
    ['a token that is not a JWT', () => bearer('garbage')],
    ['a token under another scheme', () => ({ authorization: `Basic ${issuer.sign(claims())}` })],
    ['an unsigned token (alg: none)', () => bearer(unsignedToken(claims(), issuer.kid))],
    [
      "a token signed HS256 with the bot's own app password",
      () =>
        bearer(jwt.sign(claims(), APP_PASSWORD, { algorithm: 'HS256', keyid: issuer.kid, expiresIn: 3600 })),
    ],
    [
      'a token for another bot (wrong audience)',
      () => bearer(issuer.sign({ ...claims(), aud: '99999999-2222-3333-4444-555555555555' })),
    ],
    [
      'a token from another issuer',
      () => bearer(issuer.sign({ ...claims(), iss: 'https://evil.example.com' })),
    ],
    [
      'a token signed with the channel key but naming an Entra ID issuer',
      () => bearer(issuer.sign({ ...claims(), iss: EMULATOR_ISSUER, ver: '1.0', appid: APP_ID })),
    ],
    [
      'an expired token',
      () => {
        const now = Math.floor(Date.now() / 1000);
        return bearer(issuer.sign({ ...claims(), iat: now - 7200, exp: now - 3600 }));
      },
    ],
    [
      'a token signed by a key the issuer never published',
      () => bearer(issuer.sign(claims(), { key: strangerKey(), kid: 'unknown-key' })),
    ],
    [
      "a token signed by another key under the issuer's key id",
      () => bearer(issuer.sign(claims(), { key: strangerKey() })),
    ],
    [
      "a token whose serviceurl is not the activity's",
      () => bearer(issuer.sign({ ...claims(), serviceurl: 'https://smba.trafficmanager.net/emea/' })),
    ],
  ];
  for (const [what, headers] of forgeries) {
    it(`refuses ${what} with 401`, async () => assertRefused(headers()));
  }

  it('refuses with 401 when the OpenID metadata cannot be fetched at all', async () => {
    await b.stop();
    b = await startAuthBot(endpointsAt(`http://127.0.0.1:${await closedPort()}`));
    await assertRefused(bearer(issuer.sign(claims())));
  });

  it('refuses with 401 when the token service answers with an error', async () => {
    const broken = new TokenIssuer();
    await broken.start();
    broken.down = true;
    try {
      await b.stop();
      b = await startAuthBot(broken.endpoints());
      await assertRefused(bearer(broken.sign(claims())));
      assert.ok(broken.hits.includes('/channel/openid'), 'the metadata was asked for');
    } finally {
      await broken.stop();
    }
  });
});
