import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestEmulator } from './emulator-fixture.js';

describe('the Key Vault emulator across starts and stops', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'vaultgate-keyvault-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps secrets and their versions in the data file across a restart', async () => {
    const dataFile = join(folder, 'vault.json');
    const first = await startTestEmulator({ dataFile });
    const v1 = (await clientFor(first).setSecret('kept', 'one')).properties.version;
    const v2 = (await clientFor(first).setSecret('kept', 'two')).properties.version;
    await first.stop();

    const second = await startTestEmulator({ dataFile });
    try {
      const client = clientFor(second);
      expect((await client.getSecret('kept')).properties.version).toBe(v2);
      expect((await client.getSecret('kept', { version: v1! })).value).toBe('one');
    } finally {
      await second.stop();
    }
  });

  it('seeds secrets without adding a version when the value is unchanged', async () => {
    const dataFile = join(folder, 'seeded.json');
    const first = await startTestEmulator({ dataFile, secrets: { seeded: 'same' } });
    const version = (await clientFor(first).getSecret('seeded')).properties.version;
    await first.stop();

    const second = await startTestEmulator({ dataFile, secrets: { seeded: 'same' } });
    try {
      expect((await clientFor(second).getSecret('seeded')).properties.version).toBe(version);
    } finally {
      await second.stop();
    }
  });

  it('writes no client secret into the data file', async () => {
    const dataFile = join(folder, 'no-credentials.json');
    const emulator = await startTestEmulator({ dataFile });
    await clientFor(emulator).setSecret('any', 'value');
    await emulator.stop();

    const text = await readFile(dataFile, 'utf8');
    expect(text).toContain('"any"');
    expect(text).not.toContain('Secret-');
  });

  it('frees both ports on stop, even with a client connection kept alive', async () => {
    const emulator = await startTestEmulator({ secrets: { alive: 'yes' } });
    await clientFor(emulator).getSecret('alive');

    await emulator.stop();

    await expectPortFree(emulator.port);
    await expectPortFree(emulator.authorityPort);
  });

  it('stops cleanly while the vault is refusing connections', async () => {
    const emulator = await startTestEmulator();
    await emulator.faults.set({ refuseConnections: true });

    await emulator.stop();

    await expectPortFree(emulator.port);
    await expectPortFree(emulator.authorityPort);
  });
});

async function expectPortFree(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
}
