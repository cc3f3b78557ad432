import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyVaultEmulator } from '../../../local/keyvault/index.js';
import type { VaultCliSettings } from '../../../local/keyvault/cli-settings.js';
import { runVaultCommand, VAULT_USAGE } from '../../../local/keyvault/vault-command.js';
import { APP, failureOf, startTestEmulator } from './emulator-fixture.js';

describe('the vault command (npm run vault)', () => {
  let emulator: KeyVaultEmulator;
  let settings: VaultCliSettings;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    settings = {
      vaultUrl: emulator.vaultUrl,
      tenantId: emulator.tenantId,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      authorityHost: emulator.authorityHost,
    };
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('sets, gets (latest and by version) and lists secrets', async () => {
    const [setLine] = await runVaultCommand(['set', 'cli-secret', 'first'], settings);
    const version = /version ([0-9a-f]{32})/.exec(setLine ?? '')?.[1];
    await runVaultCommand(['set', 'cli-secret', 'second'], settings);

    expect(version).toBeDefined();
    expect(await runVaultCommand(['get', 'cli-secret'], settings)).toEqual(['second']);
    expect(await runVaultCommand(['get', 'cli-secret', '--version', version!], settings)).toEqual([
      'first',
    ]);
    const listed = await runVaultCommand(['list'], settings);
    expect(listed.some((line) => line.startsWith('cli-secret\tenabled\t'))).toBe(true);
  });

  it('says in one sentence that a secret does not exist', async () => {
    const error = await failureOf(() => runVaultCommand(['get', 'no-such-secret'], settings));

    expect(error.message).toBe('The vault has no secret named no-such-secret.');
  });

  it('names the AADSTS code, not the secret, when the client secret is wrong', async () => {
    const wrong = { ...settings, clientSecret: 'wrong-Secret-for-cli' };

    const error = await failureOf(() => runVaultCommand(['list'], wrong));

    expect(error.message).toContain('AADSTS7000215');
    expect(error.message).not.toContain('wrong-Secret-for-cli');
    expect(error.message.split('. ')).toHaveLength(1);
  });

  it('says the vault is not answering when it is down', async () => {
    await emulator.faults.set({ refuseConnections: true });
    try {
      const error = await failureOf(() => runVaultCommand(['list'], settings));
      expect(error.message).toBe(
        `The vault at ${emulator.vaultUrl} is not answering; start it with npm start.`,
      );
    } finally {
      await emulator.faults.clear();
    }
  });

  it('shows the usage for a command it does not know', async () => {
    const error = await failureOf(() => runVaultCommand(['remove', 'x'], settings));

    expect(error.message).toBe(VAULT_USAGE);
  });
});
