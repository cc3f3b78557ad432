import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { redact, registerSensitive } from '../../src/log.js';
import { CliError, type VaultCliSettings } from './cli-settings.js';

/** The commands `npm run vault --` takes, as `az keyvault secret` names them. */
export const VAULT_USAGE =
  'Usage: npm run vault -- set <name> <value> | get <name> [--version <version>] | list';

/**
 * Runs one vault command through the real SecretClient and ClientSecretCredential and
 * returns the lines to print. `get` returns the value itself: the user asked for it.
 * Failures are thrown as CliError with one sentence that names no secret.
 */
export async function runVaultCommand(
  args: string[],
  settings: VaultCliSettings,
): Promise<string[]> {
  registerSensitive(settings.clientSecret);
  const client = clientFor(settings);
  try {
    return await dispatch(client, args);
  } catch (error) {
    throw asCliError(error, settings, args);
  }
}

function clientFor(settings: VaultCliSettings): SecretClient {
  const credential = new ClientSecretCredential(
    settings.tenantId,
    settings.clientId,
    settings.clientSecret,
    { authorityHost: settings.authorityHost, disableInstanceDiscovery: true },
  );
  // One retry: a person at a prompt wants to hear quickly that the vault is not running.
  return new SecretClient(settings.vaultUrl, credential, {
    disableChallengeResourceVerification: true,
    retryOptions: { maxRetries: 1 },
  });
}

async function dispatch(client: SecretClient, args: string[]): Promise<string[]> {
  const [command, name, ...rest] = args;
  if (command === 'set' && name !== undefined && rest.length === 1) {
    registerSensitive(rest[0]);
    const stored = await client.setSecret(name, rest[0] ?? '');
    return [`Set ${name}, version ${stored.properties.version}.`];
  }
  if (command === 'get' && name !== undefined) {
    const secret = await client.getSecret(name, { version: versionOption(rest) });
    return [secret.value ?? ''];
  }
  if (command === 'list' && name === undefined) return listNames(client);
  throw new CliError(VAULT_USAGE);
}

function versionOption(rest: string[]): string | undefined {
  if (rest.length === 0) return undefined;
  if (rest.length === 2 && rest[0] === '--version') return rest[1];
  throw new CliError(VAULT_USAGE);
}

async function listNames(client: SecretClient): Promise<string[]> {
  const lines: string[] = [];
  for await (const properties of client.listPropertiesOfSecrets()) {
    const state = properties.enabled === false ? 'disabled' : 'enabled';
    lines.push(`${properties.name}\t${state}\t${properties.updatedOn?.toISOString() ?? ''}`);
  }
  return lines.length > 0 ? lines : ['The vault holds no secrets.'];
}

function asCliError(error: unknown, settings: VaultCliSettings, args: string[]): CliError {
  if (error instanceof CliError) return error;
  const details = error as { code?: string; statusCode?: number; message?: string };
  const message = redact(String(details.message ?? error));
  if (details.code === 'ECONNREFUSED' || details.code === 'ECONNRESET') {
    return new CliError(
      `The vault at ${settings.vaultUrl} is not answering; start it with npm start.`,
    );
  }
  const aadsts = /AADSTS\d+/.exec(message)?.[0];
  if (aadsts !== undefined) {
    return new CliError(
      `The token authority refused client ${settings.clientId} of local.settings.json (${aadsts}).`,
    );
  }
  if (details.statusCode === 404) return new CliError(`The vault has no secret named ${args[1]}.`);
  return new CliError(firstSentence(message));
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
