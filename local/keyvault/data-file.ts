import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { VaultData } from './secret-record.js';

/** Reads the vault's data file; a missing file is an empty vault. */
export function loadVaultData(path: string): VaultData {
  if (!existsSync(path)) return { secrets: [] };
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<VaultData>;
  if (!Array.isArray(parsed.secrets)) {
    throw new Error(
      `The vault data file ${path} has no "secrets" list; move it away to start over.`,
    );
  }
  return { secrets: parsed.secrets };
}

/**
 * Writes the data file whole, through a temporary file and a rename, so a crash never leaves
 * half a file. Synchronous on purpose: an answer goes out only after its change is on disk.
 */
export function saveVaultData(path: string, data: VaultData): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(data, null, 2), { mode: 0o600 });
  renameSync(temporary, path);
}
