import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configJsonSchema } from '../src/api/config.js';
import { projectRoot } from './tls/project-root.js';

/** `npm run schema`: writes vaultgate.schema.json from the configuration's own validator. */
export function configSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

if (process.argv[1]?.endsWith('write-config-schema.js')) {
  const path = join(projectRoot(), 'vaultgate.schema.json');
  await writeFile(path, configSchemaText());
  process.stdout.write(`Wrote ${path}\n`);
}
