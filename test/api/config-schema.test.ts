import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configSchemaText } from '../../local/write-config-schema.js';
import { loadConfig } from '../../src/api/config.js';

describe('the shipped configuration', () => {
  it('publishes the JSON Schema of the current validator (run npm run schema if not)', async () => {
    const published = await readFile('vaultgate.schema.json', 'utf8');

    expect(published).toBe(configSchemaText());
  });

  it('is valid', async () => {
    const config = await loadConfig('vaultgate.json');

    expect(Object.keys(config.entities)).toContain('orders');
  });
});
