import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { Capture } from '../capture.js';
import { APP, appSettings, startTestEmulator } from '../local/keyvault/emulator-fixture.js';
import { createScratchRole, type ScratchRole } from '../scratch-role.js';

/** A real PostgreSQL server, where a wrong password is really refused (see .ci/run). */
const adminUrl = process.env.PG_TEST_URL;

describe.skipIf(!adminUrl)('a password rotation on the PostgreSQL server', () => {
  const capture = new Capture();
  let emulator: KeyVaultEmulator;
  let role: ScratchRole;
  let runtime: Runtime;
  let restoreConsole: () => void;

  beforeAll(async () => {
    [emulator, role] = await Promise.all([startTestEmulator(), createScratchRole(adminUrl!)]);
    emulator.setSecret('db-connection-string', role.url);
    restoreConsole = capture.console();
    runtime = createRuntime(
      {
        ...appSettings(emulator),
      },
      capture.logger,
    );
  });

  afterAll(async () => {
    restoreConsole();
    await runtime.database.close();
    await Promise.all([emulator.stop(), role.drop()]);
  });

  it('is absorbed by exactly one retry, and no secret appears in any output', async () => {
    // The app has read the secret and cached it; then an operator rotates the password and
    // stores the new connection string as a new version of the secret.
    const before = await runtime.resolver.resolve();
    const after = emulator.setSecret('db-connection-string', await role.rotate());
    emulator.resetRequestCount();

    const result = await runtime.database.run((engine) =>
      engine.query<{ who: string }>('select current_user as who'),
    );

    expect(result.rows[0]?.who).toBe(role.name);
    expect(runtime.database.stats().loginRetries).toBe(1);
    expect(emulator.requestCount.getSecret).toBe(1);
    expect(runtime.resolver.status().version).toBe(after);
    expect(after).not.toBe(before.version);
    capture.add(result.rows);
    expect(capture.lines.some((line) => line.includes('retrying with a fresh secret'))).toBe(true);
    expect(capture.leaked([...role.passwords, role.url, APP.clientSecret])).toEqual([]);
  });
});
