import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The offline host's keys: `function` opens authLevel function, `master` opens everything. */
export interface HostKeys {
  functionKey: string;
  masterKey: string;
}

/** Reads the keys from the data folder, making them on first run so they stay the same. */
export async function ensureHostKeys(path: string): Promise<HostKeys> {
  if (existsSync(path)) {
    const keys = JSON.parse(await readFile(path, 'utf8')) as Partial<HostKeys>;
    if (typeof keys.functionKey === 'string' && typeof keys.masterKey === 'string') {
      return { functionKey: keys.functionKey, masterKey: keys.masterKey };
    }
  }
  const keys = {
    functionKey: randomBytes(24).toString('base64url'),
    masterKey: randomBytes(32).toString('base64url'),
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}
