import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OFFLINE_HOST_VARIABLE, type FunctionDefinition } from '../../functions/register.js';
import { ConfigurationError } from '../../src/errors.js';
import { matchFiles } from './file-glob.js';

const TRIGGERS = new Set(['http', 'timer', 'storageQueue']);

/**
 * Imports every module that package.json's `main` glob names (as the Functions host finds the
 * app's entry points) and collects their `definition` / `definitions` exports, so the offline
 * host serves the very list that registers with Azure. Sets VAULTGATE_OFFLINE_HOST=1 first,
 * so importing does not register with @azure/functions.
 */
export async function loadDefinitions(
  projectRoot: string,
  mainGlob?: string,
): Promise<FunctionDefinition[]> {
  process.env[OFFLINE_HOST_VARIABLE] = '1';
  const pattern = mainGlob ?? (await readMainGlob(projectRoot));
  const files = await matchFiles(projectRoot, pattern);
  const definitions: FunctionDefinition[] = [];
  for (const file of files) {
    const exported = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    definitions.push(...definitionsOf(exported, file));
  }
  return checkUnique(definitions);
}

async function readMainGlob(projectRoot: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as {
    main?: unknown;
  };
  if (typeof manifest.main !== 'string' || manifest.main === '') {
    throw new ConfigurationError(
      'package.json has no "main" glob; set it to the built functions, e.g. dist/functions/*.js.',
    );
  }
  return manifest.main;
}

function definitionsOf(exported: Record<string, unknown>, file: string): FunctionDefinition[] {
  const found = [
    ...(exported.definition === undefined ? [] : [exported.definition]),
    ...(Array.isArray(exported.definitions) ? (exported.definitions as unknown[]) : []),
  ];
  return found.map((candidate) => checkDefinition(candidate, file));
}

function checkDefinition(candidate: unknown, file: string): FunctionDefinition {
  const value = candidate as Partial<FunctionDefinition> | null;
  const valid =
    typeof value?.name === 'string' &&
    TRIGGERS.has(String(value.trigger)) &&
    typeof value.options?.handler === 'function';
  if (!valid) {
    throw new ConfigurationError(
      `${file} exports a definition without a name, a known trigger and a handler.`,
    );
  }
  return candidate as FunctionDefinition;
}

function checkUnique(definitions: FunctionDefinition[]): FunctionDefinition[] {
  const names = new Set<string>();
  for (const { name } of definitions) {
    const key = name.toLowerCase();
    if (names.has(key)) {
      throw new ConfigurationError(`Two functions are named "${name}"; names must be unique.`);
    }
    names.add(key);
  }
  return definitions;
}
