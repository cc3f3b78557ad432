import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import { jobsSchema } from '../jobs/job-config.js';

/**
 * Route names the app serves itself. The Functions host and the offline host both try these
 * literal routes before `{entity}`, so an entity of that name could never be reached.
 * (`openapi.json` cannot be an entity name: the configuration refuses the dot.)
 */
export const RESERVED_ENTITY_NAMES: readonly string[] = ['health', 'maintenance', 'openapi'];

export const ACTIONS = ['read', 'create', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_$ -]{0,127}$/, 'must be a column name of letters, digits and _');

const entitySchema = z
  .object({
    source: z
      .string()
      .regex(
        /^([A-Za-z_][A-Za-z0-9_$]{0,127}\.)?[A-Za-z_][A-Za-z0-9_$]{0,127}$/,
        'must be `table` or `schema.table` (a table or a view)',
      )
      .describe('The table or view, as `schema.table` or `table` (dbo / public by default).'),
    key: z
      .array(identifier)
      .min(1)
      .optional()
      .describe("The key columns in order; defaults to the table's primary key."),
    actions: z
      .array(z.enum(ACTIONS))
      .default(['read'])
      .describe('What callers may do: read, create, update, delete. Default: read only.'),
    fields: z
      .object({
        include: z.array(identifier).optional().describe('Only these columns are exposed.'),
        exclude: z.array(identifier).optional().describe('These columns are never exposed.'),
      })
      .strict()
      .optional(),
    maxPageSize: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(1000)
      .describe('The most rows one page may hold ($first is capped at this).'),
    ingest: z
      .boolean()
      .default(false)
      .describe('Whether queue messages may insert into this entity.'),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    entities: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be a URL-safe entity name'),
        entitySchema,
      )
      .default({})
      .describe('The tables and views exposed over HTTP, by the name used in the URL.'),
    jobs: jobsSchema,
  })
  .strict();

export type EntityConfig = z.output<typeof entitySchema>;
export type VaultgateConfig = z.output<typeof configSchema>;

/** Validates parsed configuration; each mistake names its path in the file. */
export function parseConfig(value: unknown, file = 'vaultgate.json'): VaultgateConfig {
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const mistakes = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return `${path === '' ? '(top level)' : path}: ${issue.message}`;
    });
    throw new ConfigurationError(`${file} is not valid: ${mistakes.join('; ')}.`);
  }
  for (const [name, entity] of Object.entries(parsed.data.entities)) {
    if (RESERVED_ENTITY_NAMES.includes(name.toLowerCase())) {
      throw new ConfigurationError(
        `${file} is not valid: entities.${name}: '${name}' is a route of the app itself; ` +
          'give the entity another name.',
      );
    }
    const include = entity.fields?.include;
    const exclude = entity.fields?.exclude;
    if (include !== undefined && exclude !== undefined) {
      throw new ConfigurationError(
        `${file} is not valid: entities.${name}.fields: give include or exclude, not both.`,
      );
    }
  }
  return parsed.data;
}

/** Where the configuration file is: VAULTGATE_CONFIG, or vaultgate.json in the app's folder. */
export function configPath(env: Record<string, string | undefined> = process.env): string {
  return resolve(process.cwd(), env.VAULTGATE_CONFIG || 'vaultgate.json');
}

/** Reads and validates the configuration file. */
export async function loadConfig(path: string): Promise<VaultgateConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw unreadable(path);
  }
  return parseConfigText(text, path);
}

/**
 * The same, synchronously: for module load, where functions are registered from the
 * configuration before the host starts serving.
 */
export function loadConfigSync(path: string): VaultgateConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw unreadable(path);
  }
  return parseConfigText(text, path);
}

function unreadable(path: string): ConfigurationError {
  return new ConfigurationError(
    `The configuration file ${path} cannot be read; set VAULTGATE_CONFIG to its path.`,
  );
}

function parseConfigText(text: string, path: string): VaultgateConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'not JSON';
    throw new ConfigurationError(`${path} is not valid JSON: ${detail}.`);
  }
  return parseConfig(json, path);
}

/** The JSON Schema of vaultgate.json, so editors complete and check it. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input' }) as Record<string, unknown>;
}
