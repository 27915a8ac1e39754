// A stand-in for the Bot Framework's token service: an RSA key of its own, OpenID metadata and a JWKS served from a
// local HTTP server, and tokens signed the way the Bot Connector signs them. Only a test's configuration points at it
// (Config.botAuthEndpoints), so the bot's real token checks run against keys the test holds.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import type { BotAuthEndpoints } from '../../../src/config';

/** The issuer the Bot Connector writes into its tokens. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';
/** An Entra ID issuer botbuilder sends down its emulator path (checked against other keys). */
export const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

const KID = 'test-channel-key';

const rsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

export class TokenIssuer {
  private readonly key = rsaKey();
  /** Requests the server answered, by path: the test can see the keys were (or were not) fetched. */
  readonly hits: string[] = [];
  /** When set, every request is answered 503, as a token service having a bad day would. */
  down = false;
  private server?: http.Server;
  url = '';

  async start(): Promise<void> {
    const jwk = this.key.publicKey.export({ format: 'jwk' });
    // A key the emulator path would use: nothing the test signs with.
    const aadJwk = rsaKey().publicKey.export({ format: 'jwk' });
    this.server = http.createServer((req, res) => {
      this.hits.push(req.url ?? '');
      if (this.down) {
        res.writeHead(503);
        res.end();
        return;
      }
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      switch (req.url) {
        case '/channel/openid':
          return json({ issuer: CHANNEL_ISSUER, jwks_uri: `${this.url}/channel/keys` });
        case '/channel/keys':
          // Teams' keys carry endorsements naming the channels they may sign for.
          return json({ keys: [{ ...jwk, kid: KID, use: 'sig', endorsements: ['msteams'] }] });
        case '/emulator/openid':
          return json({ issuer: EMULATOR_ISSUER, jwks_uri: `${this.url}/emulator/keys` });
        case '/emulator/keys':
          return json({ keys: [{ ...aadJwk, kid: 'aad-key', use: 'sig' }] });
        default:
          res.writeHead(404);
          res.end();
      }
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** What a test's configuration needs so the bot checks tokens against this issuer and calls nothing outside. */
  endpoints(): BotAuthEndpoints {
    return endpointsAt(this.url);
  }

  /** The claims the Bot Connector puts in a token for this bot and this conversation's service. */
  claims(appId: string, serviceUrl: string): Record<string, unknown> {
    return { iss: CHANNEL_ISSUER, aud: appId, serviceurl: serviceUrl };
  }

  /** Signs claims with this issuer's key (RS256), as the Bot Connector does; an hour's life unless they say `exp`. */
  sign(claims: Record<string, unknown>, options: { key?: KeyObject; kid?: string } = {}) {
    return jwt.sign(claims, options.key ?? this.key.privateKey, {
      algorithm: 'RS256',
      keyid: options.kid ?? KID,
      ...('exp' in claims ? {} : { expiresIn: 3600 }),
    });
  }

  /** The key id the served JWKS names. */
  get kid(): string {
    return KID;
  }
}

/** Endpoints at a base URL; a URL where nothing listens gives metadata that cannot be fetched. */
export function endpointsAt(base: string): BotAuthEndpoints {
  return {
    ToBotFromChannelOpenIdMetadataUrl: `${base}/channel/openid`,
    ToBotFromEmulatorOpenIdMetadataUrl: `${base}/emulator/openid`,
    ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToChannelFromBotLoginUrl: `${base}/login`,
    OAuthUrl: `${base}/oauth`,
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: false,
  };
}

/** A second RSA key the issuer never published. */
export const strangerKey = (): KeyObject => rsaKey().privateKey;

/** A token with `alg: none` and no signature: a forgery any JWT library must refuse. */
export function unsignedToken(claims: Record<string, unknown>, kid: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT', kid })}.${part({ ...claims, iat: now, exp: now + 3600 })}.`;
}
