// The app-only credential the SharePoint store and `npm run provision` sign in with: a client secret or a
// certificate, against the public cloud, a national cloud or (in tests) a local authority host.
import {
  AzureAuthorityHosts,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';

export interface GraphCredentialSettings {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** A PEM file holding the certificate and its private key; used when there is no secret. */
  certificatePath?: string;
  /** e.g. https://login.microsoftonline.us; defaults to the public cloud. */
  authorityHost?: string;
}

const KNOWN_AUTHORITIES = new Set<string>(
  Object.values(AzureAuthorityHosts).map((h) => new URL(h).hostname.toLowerCase()),
);

/** True for Microsoft's own sign-in hosts, where MSAL's instance discovery works. */
export const isKnownAuthority = (authorityHost: string): boolean =>
  KNOWN_AUTHORITIES.has(new URL(authorityHost).hostname.toLowerCase());

/** Builds the credential; a host that is not a Microsoft cloud (a test authority) skips instance discovery. */
export function createGraphCredential(settings: GraphCredentialSettings): TokenCredential {
  const authorityHost = (settings.authorityHost || AzureAuthorityHosts.AzurePublicCloud).replace(/\/+$/, '');
  const options = {
    authorityHost,
    ...(isKnownAuthority(authorityHost) ? {} : { disableInstanceDiscovery: true }),
  };
  if (settings.clientSecret)
    return new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, options);
  if (settings.certificatePath)
    return new ClientCertificateCredential(
      settings.tenantId,
      settings.clientId,
      { certificatePath: settings.certificatePath },
      options,
    );
  throw new Error('A Graph credential needs a client secret or a certificate path.');
}

/** How to sign in, as the configuration (src/config.ts GraphConfig) describes it. */
export interface GraphSignIn {
  credential:
    | { kind: 'secret'; tenantId: string; clientId: string; secret: string }
    | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string }
    | { kind: 'managed-identity'; clientId?: string };
  authorityHost: string;
}

/** The credential for a configured sign-in: a secret, a certificate, or the host's managed identity. */
export function credentialFor(graph: GraphSignIn): TokenCredential {
  const c = graph.credential;
  switch (c.kind) {
    case 'managed-identity':
      return c.clientId
        ? new ManagedIdentityCredential({ clientId: c.clientId })
        : new ManagedIdentityCredential();
    case 'secret':
      return createGraphCredential({ ...c, clientSecret: c.secret, authorityHost: graph.authorityHost });
    case 'certificate':
      return createGraphCredential({ ...c, authorityHost: graph.authorityHost });
  }
}
