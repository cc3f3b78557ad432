import { defineConfig } from 'vitest/config';
import { ensureLocalCertificate } from './local/tls/index.js';

export default defineConfig(async () => {
  // Test workers are forked from this process and inherit its environment. Node reads
  // NODE_EXTRA_CA_CERTS only at start, so the local certificate must exist, and be named
  // here, before any worker starts: that is how the tests trust the Key Vault emulator.
  const { caPath } = await ensureLocalCertificate();
  process.env.NODE_EXTRA_CA_CERTS = caPath;
  return {
    test: {
      include: ['test/**/*.test.ts'],
      // No secret may reach any output of any test file.
      setupFiles: ['test/setup/output-guard.ts'],
      reporters: ['default', './test/setup/summary-reporter.ts'],
      testTimeout: 30_000,
      hookTimeout: 120_000,
      pool: 'forks',
      // Tests call handlers directly and serve definitions themselves, as the offline host does.
      env: { VAULTGATE_OFFLINE_HOST: '1' },
    },
  };
});
