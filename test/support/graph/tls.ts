// A throwaway certificate authority for the local Graph server. The Graph client only sends its bearer token to HTTPS
// hosts, and NODE_TLS_REJECT_UNAUTHORIZED=0 would hide real TLS mistakes, so the runner (run.ts) makes a CA, signs a
// certificate for localhost with it, and starts mocha with NODE_EXTRA_CA_CERTS pointing at the CA: Node's https
// (used by @azure/identity) and its global fetch (undici, used by the Graph client) then trust the server for real.
import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TestCa {
  /** The CA certificate (PEM): what NODE_EXTRA_CA_CERTS points at. */
  caFile: string;
  /** The server certificate (PEM) for localhost, 127.0.0.1 and ::1, signed by the CA. */
  certFile: string;
  /** The server's private key (PEM). */
  keyFile: string;
}

/** The file names inside the directory, which GraphServer reads back through EIP_TEST_TLS_DIR. */
export const TLS_FILES = { ca: 'ca.pem', cert: 'server-cert.pem', key: 'server-key.pem' } as const;

const DAY = 24 * 60 * 60 * 1000;

/** Generates a CA and a server certificate it signs, written as PEM files into dir. */
export async function makeTestCa(dir: string): Promise<TestCa> {
  fs.mkdirSync(dir, { recursive: true });
  // A day either side, so a clock slightly out does not make the certificates not yet (or no longer) valid.
  const notBeforeDate = new Date(Date.now() - DAY);
  const notAfterDate = new Date(Date.now() + 7 * DAY);
  const ca = await generate([{ name: 'commonName', value: 'EIP bot test CA' }], {
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const files: TestCa = {
    caFile: path.join(dir, TLS_FILES.ca),
    certFile: path.join(dir, TLS_FILES.cert),
    keyFile: path.join(dir, TLS_FILES.key),
  };
  fs.writeFileSync(files.caFile, ca.cert);
  fs.writeFileSync(files.certFile, server.cert);
  fs.writeFileSync(files.keyFile, server.private, { mode: 0o600 });
  return files;
}
