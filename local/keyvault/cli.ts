import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { localCertificatePaths, projectRoot } from '../tls/index.js';
import { CliError, readVaultCliSettings } from './cli-settings.js';
import { runVaultCommand } from './vault-command.js';

/**
 * `npm run vault -- set|get|list ...`: a small `az keyvault secret` for the local vault.
 * Node reads NODE_EXTRA_CA_CERTS only at start-up, so when it does not point at the local CA
 * the command runs itself again once with it set; TLS verification stays on throughout.
 */
async function main(): Promise<number> {
  const settings = readVaultCliSettings(projectRoot());
  const { caPath } = localCertificatePaths();
  if (!existsSync(caPath)) {
    throw new CliError('The local certificate is missing; run npm start first, which makes it.');
  }
  if (process.env.NODE_EXTRA_CA_CERTS !== caPath) return runAgainTrusting(caPath);

  const lines = await runVaultCommand(process.argv.slice(2), settings);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

// NOTE: a NODE_EXTRA_CA_CERTS the user set for another CA is replaced in the child; this ends
// when the local CA is written into a bundle together with that file.
function runAgainTrusting(caPath: string): number {
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  return child.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const sentence =
      error instanceof CliError ? error.message : 'The vault command failed unexpectedly.';
    process.stderr.write(`${sentence}\n`);
    process.exit(1);
  },
);
