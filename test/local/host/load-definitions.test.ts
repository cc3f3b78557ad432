import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/errors.js';
import { loadDefinitions } from '../../../local/host/load-definitions.js';
import { startHost } from '../../../local/host/start-host.js';
import { CaptureLogger } from './capture-logger.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/host/${name}`, import.meta.url));

describe('loadDefinitions', () => {
  it("collects definition and definitions from every module of package.json's main", async () => {
    const definitions = await loadDefinitions(fixture('project'));
    expect(definitions.map((definition) => definition.name)).toEqual(['hello', 'first', 'second']);
    expect(process.env.VAULTGATE_OFFLINE_HOST).toBe('1');
  });

  it('takes another glob when given one', async () => {
    const definitions = await loadDefinitions(fixture('project'), 'functions/h*.ts');
    expect(definitions.map((definition) => definition.name)).toEqual(['hello']);
  });

  it('refuses two functions of the same name', async () => {
    await expect(loadDefinitions(fixture('duplicate-project'))).rejects.toThrow(ConfigurationError);
    await expect(loadDefinitions(fixture('duplicate-project'))).rejects.toThrow(/"same"/);
  });

  it('feeds the host the very functions it found', async () => {
    const host = await startHost({
      definitions: await loadDefinitions(fixture('project')),
      hostJson: { version: '2.0' },
      port: 0,
      functionKey: 'load-test-key',
      logger: new CaptureLogger(),
    });
    try {
      const response = await fetch(`${host.url}/api/hello`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('hello');
    } finally {
      await host.stop();
    }
  });
});
