import { X509Certificate, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { projectRoot } from './project-root.js';

/** Where the local TLS material lives. */
export interface LocalCertificate {
  /** The server certificate, valid for `localhost` and `127.0.0.1`. */
  certPath: string;
  /** The server certificate's private key. */
  keyPath: string;
  /** The certificate authority clients trust through NODE_EXTRA_CA_CERTS. */
  caPath: string;
}

const VALID_DAYS = 365;
// A certificate this close to its end is replaced, so a long test run never sees it expire.
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

/** The paths of the local certificate, whether or not it has been generated yet. */
export function localCertificatePaths(): LocalCertificate {
  const folder = certificateFolder();
  return {
    certPath: join(folder, 'server.pem'),
    keyPath: join(folder, 'server-key.pem'),
    caPath: join(folder, 'ca.pem'),
  };
}

/**
 * Makes sure a usable certificate for `localhost` and `127.0.0.1` exists under
 * `.local/certs/` in the project root (git-ignored) and returns its paths. The first call
 * generates a small CA and a server certificate signed by it; later calls reuse them until
 * they come near their end. Safe to call from several processes at once.
 */
export async function ensureLocalCertificate(): Promise<LocalCertificate> {
  const paths = localCertificatePaths();
  if (await isUsable(paths)) return paths;

  // Only a stale set is removed; an absent one may be being published by another process.
  if (existsSync(certificateFolder())) await rm(certificateFolder(), { recursive: true });
  await publish(await generateInto(temporaryFolder()));
  return paths;
}

function certificateFolder(): string {
  return join(projectRoot(), '.local', 'certs');
}

function temporaryFolder(): string {
  return `${certificateFolder()}.${process.pid}.${randomBytes(4).toString('hex')}`;
}

async function isUsable(paths: LocalCertificate): Promise<boolean> {
  if (![paths.certPath, paths.keyPath, paths.caPath].every((path) => existsSync(path))) {
    return false;
  }
  try {
    const certificate = new X509Certificate(await readFile(paths.certPath));
    return Date.parse(certificate.validTo) - Date.now() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

async function generateInto(folder: string): Promise<string> {
  const notAfterDate = new Date(Date.now() + VALID_DAYS * 24 * 3600 * 1000);
  const ca = await generate([{ name: 'commonName', value: 'Vaultgate local CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });

  // The CA's private key is never written: nothing else can be signed with this trust anchor.
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'ca.pem'), ca.cert);
  await writeFile(join(folder, 'server.pem'), server.cert);
  await writeFile(join(folder, 'server-key.pem'), server.private, { mode: 0o600 });
  return folder;
}

/** Moves a complete set into place in one step; if another process won the race, keeps theirs. */
async function publish(folder: string): Promise<void> {
  try {
    await rename(folder, certificateFolder());
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    if (!isAlreadyThere(error)) throw error;
  }
}

function isAlreadyThere(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST';
}
