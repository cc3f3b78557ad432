import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyVaultEmulator } from '../../../local/keyvault/index.js';
import { clientFor, failureOf, startTestEmulator } from './emulator-fixture.js';

describe('the Key Vault emulator, through the real SecretClient', () => {
  let emulator: KeyVaultEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('completes credential, challenge, token and secret calls end to end', async () => {
    const client = clientFor(emulator);
    emulator.resetRequestCount();

    const stored = await client.setSecret('end-to-end', 'value-one');
    const read = await client.getSecret('end-to-end');

    expect(read.value).toBe('value-one');
    expect(read.properties.version).toBe(stored.properties.version);
    expect(read.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(read.properties.id).toBe(
      `${emulator.vaultUrl}/secrets/end-to-end/${stored.properties.version}`,
    );
    expect(read.properties.recoveryLevel).toBe('Recoverable+Purgeable');
    expect(read.properties.createdOn).toBeInstanceOf(Date);
    const counts = emulator.requestCount;
    expect(counts.challenge).toBe(1);
    expect(counts.openidConfiguration).toBe(1);
    expect(counts.token).toBe(1);
    expect(counts.setSecret).toBe(1);
    expect(counts.getSecret).toBe(1);
  });

  it('creates a new version on every set and reads each version back', async () => {
    const client = clientFor(emulator);
    const first = await client.setSecret('versioned', 'first');
    const second = await client.setSecret('versioned', 'second');

    expect(second.properties.version).not.toBe(first.properties.version);
    expect((await client.getSecret('versioned')).value).toBe('second');
    const old = await client.getSecret('versioned', { version: first.properties.version! });
    expect(old.value).toBe('first');

    const versions = [];
    for await (const properties of client.listPropertiesOfSecretVersions('versioned')) {
      versions.push(properties.version);
    }
    expect(versions).toEqual([first.properties.version, second.properties.version]);
  });

  it('lists secrets across pages by following nextLink', async () => {
    const client = clientFor(emulator);
    for (const name of ['page-a', 'page-b', 'page-c']) await client.setSecret(name, name);

    const pages: string[][] = [];
    const listing = client.listPropertiesOfSecrets().byPage({ maxPageSize: 2 });
    for await (const page of listing) pages.push(page.map((properties) => properties.name));

    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat()).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
    expect(pages.flat().filter((name) => name === 'page-a')).toHaveLength(1);
  });

  it('updates enabled, expiry, tags and content type without changing the value', async () => {
    const client = clientFor(emulator);
    const stored = await client.setSecret('updatable', 'kept');
    const expiresOn = new Date(Date.now() + 3600_000);

    const updated = await client.updateSecretProperties('updatable', stored.properties.version!, {
      contentType: 'text/plain',
      tags: { owner: 'data' },
      expiresOn,
    });

    expect(updated.contentType).toBe('text/plain');
    expect(updated.tags).toEqual({ owner: 'data' });
    expect(updated.expiresOn?.getTime()).toBe(Math.floor(expiresOn.getTime() / 1000) * 1000);
    expect((await client.getSecret('updatable')).value).toBe('kept');
  });

  it('returns 403 Forbidden with innererror SecretDisabled for a disabled secret', async () => {
    const client = clientFor(emulator);
    const stored = await client.setSecret('switched-off', 'do-not-show-this-value');
    await client.updateSecretProperties('switched-off', stored.properties.version!, {
      enabled: false,
    });

    const error = await failureOf(() => client.getSecret('switched-off'));

    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('Forbidden');
    expect(
      (error.details as { error: { innerError: { code: string } } }).error.innerError.code,
    ).toBe('SecretDisabled');
    expect(error.message).not.toContain('do-not-show-this-value');
  });

  it('returns 404 SecretNotFound for a missing secret and for a missing version', async () => {
    const client = clientFor(emulator);
    await client.setSecret('present', 'x');

    const missing = await failureOf(() => client.getSecret('never-set'));
    const missingVersion = await failureOf(() =>
      client.getSecret('present', { version: '0'.repeat(32) }),
    );

    for (const error of [missing, missingVersion]) {
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('SecretNotFound');
    }
  });

  it('still serves an expired or not-yet-valid secret, as Key Vault does', async () => {
    const client = clientFor(emulator);
    const past = new Date(Date.now() - 86400_000);
    const future = new Date(Date.now() + 86400_000);
    await client.setSecret('expired', 'old', { expiresOn: past });
    await client.setSecret('not-yet', 'new', { notBefore: future });

    const expired = await client.getSecret('expired');
    const notYet = await client.getSecret('not-yet');

    expect(expired.value).toBe('old');
    expect(expired.properties.expiresOn!.getTime()).toBeLessThan(Date.now());
    expect(notYet.properties.notBefore!.getTime()).toBeGreaterThan(Date.now());
  });

  it('deletes through the delete poller, then shows and purges the deleted secret', async () => {
    const client = clientFor(emulator);
    await client.setSecret('to-delete', 'gone soon');

    const poller = await client.beginDeleteSecret('to-delete');
    const deleted = await poller.pollUntilDone();

    expect(deleted.name).toBe('to-delete');
    expect(deleted.properties.recoveryId).toBe(`${emulator.vaultUrl}/deletedsecrets/to-delete`);
    expect((await failureOf(() => client.getSecret('to-delete'))).statusCode).toBe(404);
    expect((await client.getDeletedSecret('to-delete')).properties.deletedOn).toBeInstanceOf(Date);
    const reuse = await failureOf(() => client.setSecret('to-delete', 'again'));
    expect([reuse.statusCode, reuse.code]).toEqual([409, 'Conflict']);

    await client.purgeDeletedSecret('to-delete');
    expect((await failureOf(() => client.getDeletedSecret('to-delete'))).statusCode).toBe(404);
    expect((await client.setSecret('to-delete', 'again')).value).toBe('again');
  });

  it('recovers a deleted secret with its versions', async () => {
    const client = clientFor(emulator);
    await client.setSecret('to-recover', 'v1');
    await (await client.beginDeleteSecret('to-recover')).pollUntilDone();

    await (await client.beginRecoverDeletedSecret('to-recover')).pollUntilDone();

    expect((await client.getSecret('to-recover')).value).toBe('v1');
  });
});
