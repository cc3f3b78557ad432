import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ensureLocalCertificate } from '../../../local/tls/index.js';

describe('the local TLS certificate', () => {
  it('covers localhost and 127.0.0.1 and is signed by the CA clients trust', async () => {
    const paths = await ensureLocalCertificate();
    const server = new X509Certificate(await readFile(paths.certPath));
    const ca = new X509Certificate(await readFile(paths.caPath));

    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
  });

  it('is generated once under .local/certs and reused, even by concurrent callers', async () => {
    const first = await ensureLocalCertificate();
    const before = await readFile(first.certPath, 'utf8');

    const [second, third] = await Promise.all([ensureLocalCertificate(), ensureLocalCertificate()]);

    expect(first.certPath).toMatch(/[/\\]\.local[/\\]certs[/\\]server\.pem$/);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(await readFile(first.certPath, 'utf8')).toBe(before);
  });

  it('is the certificate this process trusts through NODE_EXTRA_CA_CERTS', async () => {
    const { caPath } = await ensureLocalCertificate();

    expect(process.env.NODE_EXTRA_CA_CERTS).toBe(caPath);
  });
});
