import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureLocalCertificate, projectRoot } from '../local/tls/index.js';
import { startApp } from './app-process.js';
import {
  insertApi,
  insertDirect,
  pagingApi,
  pagingDirect,
  pointReadsApi,
  pointReadsDirect,
  prepareTables,
  type Measurement,
} from './scenarios.js';

/** The entities the scenarios use, in a configuration of their own. */
const BENCH_CONFIG = {
  entities: {
    'bench-rows': { source: 'bench_rows', actions: ['read'], maxPageSize: 1000 },
    'bench-inserts': { source: 'bench_inserts', actions: ['create'] },
  },
};

/**
 * `npm run bench`: the same work done directly with the driver and through the API over
 * HTTP, side by side in one run, on the embedded database and (with PG_TEST_URL) on the
 * PostgreSQL server. Prints a table with API/driver ratios; writes bench/results.json.
 */
async function main(): Promise<void> {
  const root = projectRoot();
  const targets: { name: string; url?: string }[] = [{ name: 'embedded' }];
  if (process.env.PG_TEST_URL)
    targets.push({ name: 'postgres server', url: process.env.PG_TEST_URL });

  const results: Measurement[] = [];
  for (const target of targets) {
    say(`\n${target.name}: starting the app ...`);
    const app = await startApp(root, BENCH_CONFIG, target.url);
    const url = target.url ?? app.embeddedUrl;
    try {
      say(`${target.name}: preparing ${'100,000'} rows ...`);
      await prepareTables(url);
      const steps: [string, () => Promise<Measurement>][] = [
        ['point reads (driver)', () => pointReadsDirect(url, target.name, target.url ? 16 : 4)],
        ['point reads (api)', () => pointReadsApi(app.apiUrl, app.functionKey, target.name)],
        ['paging (driver)', () => pagingDirect(url, target.name)],
        ['paging (api)', () => pagingApi(app.apiUrl, app.functionKey, target.name)],
        ['inserts (driver)', () => insertDirect(url, target.name)],
        ['inserts (api)', () => insertApi(app.apiUrl, app.functionKey, target.name)],
      ];
      for (const [label, step] of steps) {
        say(`${target.name}: ${label} ...`);
        results.push(await step());
      }
    } finally {
      await app.stop();
    }
  }
  say(`\n${table(results)}`);
  await mkdir(join(root, 'bench'), { recursive: true });
  await writeFile(
    join(root, 'bench/results.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), results }, null, 2)}\n`,
  );
  say('\nWritten to bench/results.json.');
}

function table(results: Measurement[]): string {
  const rows = [
    ['target', 'scenario', 'driver', 'api', 'api/driver', 'p50 ms (d/a)', 'p99 ms (d/a)'],
  ];
  for (const api of results.filter((r) => r.path === 'api')) {
    const direct = results.find(
      (r) => r.path === 'driver' && r.target === api.target && r.scenario === api.scenario,
    );
    if (direct === undefined) continue;
    const ms = (value?: number) => (value === undefined ? '-' : value.toFixed(1));
    rows.push([
      api.target,
      api.scenario,
      `${Math.round(direct.throughput).toLocaleString('en')} ${direct.unit}`,
      `${Math.round(api.throughput).toLocaleString('en')} ${api.unit}`,
      (api.throughput / direct.throughput).toFixed(2),
      direct.p50Ms === undefined ? '-' : `${ms(direct.p50Ms)} / ${ms(api.p50Ms)}`,
      direct.p99Ms === undefined ? '-' : `${ms(direct.p99Ms)} / ${ms(api.p99Ms)}`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

// Node reads NODE_EXTRA_CA_CERTS only at start-up; the app processes inherit it.
const { caPath } = await ensureLocalCertificate();
if (process.env.NODE_EXTRA_CA_CERTS !== caPath) {
  const child = spawn(process.execPath, process.argv.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  child.once('exit', (code) => process.exit(code ?? 1));
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
