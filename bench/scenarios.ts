import autocannon from 'autocannon';
import pg from 'pg';

/** One measured piece of work: the same work done directly with the driver and via the API. */
export interface Measurement {
  scenario: string;
  target: string;
  path: 'driver' | 'api';
  /** Operations (requests, pages or rows, as `unit` says) per second. */
  throughput: number;
  unit: string;
  p50Ms?: number;
  p99Ms?: number;
  totalMs: number;
  rows?: number;
}

export const TABLE_ROWS = 100_000;
export const PAGE_SIZE = 1000;
export const INSERT_BATCH = 1000;
export const CONCURRENCY = 16;
export const READ_SECONDS = 10;

/** The tables the scenarios use, made afresh: 100,000 rows to read and one to insert into. */
export async function prepareTables(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of ['bench_rows', 'bench_inserts']) {
      await client.query(`drop table if exists ${table}`);
      await client.query(
        `create table ${table} (id bigint generated always as identity primary key, ` +
          'label text not null, amount numeric(12,2) not null, ' +
          'created_at timestamptz not null default now())',
      );
    }
    await client.query(
      'insert into bench_rows (label, amount) ' +
        `select 'row ' || g, (g % 1000) / 10.0 from generate_series(1, ${TABLE_ROWS}) g`,
    );
    await client.query('analyze bench_rows');
  } finally {
    await client.end();
  }
}

const randomId = () => 1 + Math.floor(Math.random() * TABLE_ROWS);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

/**
 * Point reads by key with the driver: CONCURRENCY workers for READ_SECONDS, sharing a pool of
 * `connections` (the embedded database takes 16 connections in all, and the app holds some).
 */
export async function pointReadsDirect(
  url: string,
  target: string,
  connections: number,
): Promise<Measurement> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + READ_SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const begin = performance.now();
      await pool.query('select * from bench_rows where id = $1', [randomId()]);
      latencies.push(performance.now() - begin);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const totalMs = performance.now() - started;
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    scenario: 'point reads by key',
    target,
    path: 'driver',
    throughput: latencies.length / (totalMs / 1000),
    unit: 'reads/s',
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    totalMs,
  };
}

/** The same reads as GET /api/bench-rows/{id} over HTTP, with autocannon. */
export async function pointReadsApi(
  apiUrl: string,
  key: string,
  target: string,
): Promise<Measurement> {
  const result = await autocannon({
    url: apiUrl,
    connections: CONCURRENCY,
    duration: READ_SECONDS,
    headers: { 'x-functions-key': key },
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: `${new URL(apiUrl).pathname}/bench-rows/${randomId()}`,
        }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `point reads over HTTP failed: ${result.non2xx} non-2xx, ${result.errors} errors`,
    );
  }
  return {
    scenario: 'point reads by key',
    target,
    path: 'api',
    throughput: result.requests.average,
    unit: 'reads/s',
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    totalMs: result.duration * 1000,
  };
}

/** Every row of bench_rows, a keyset page at a time, with the driver. */
export async function pagingDirect(url: string, target: string): Promise<Measurement> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  let last = 0;
  let rows = 0;
  for (;;) {
    const page = await client.query<{ id: string }>(
      'select * from bench_rows where id > $1 order by id limit $2',
      [last, PAGE_SIZE],
    );
    if (page.rows.length === 0) break;
    rows += page.rows.length;
    last = Number(page.rows[page.rows.length - 1]!.id);
  }
  const totalMs = performance.now() - started;
  await client.end();
  return paged(target, 'driver', rows, totalMs);
}

/** The same through GET /api/bench-rows, following nextLink; checks every row comes once. */
export async function pagingApi(apiUrl: string, key: string, target: string): Promise<Measurement> {
  const seen = new Set<string>();
  let next: string | undefined = `${apiUrl}/bench-rows?$first=${PAGE_SIZE}`;
  const started = performance.now();
  while (next !== undefined) {
    const response = await fetch(next, { headers: { 'x-functions-key': key } });
    if (response.status !== 200) throw new Error(`paging answered ${response.status}`);
    const page = (await response.json()) as { value: { id: string }[]; nextLink?: string };
    for (const row of page.value) seen.add(String(row.id));
    next = page.nextLink;
  }
  const totalMs = performance.now() - started;
  if (seen.size !== TABLE_ROWS) throw new Error(`paging saw ${seen.size} distinct rows`);
  return paged(target, 'api', seen.size, totalMs);
}

function paged(target: string, path: Measurement['path'], rows: number, totalMs: number) {
  return {
    scenario: `paging ${TABLE_ROWS.toLocaleString('en')} rows`,
    target,
    path,
    throughput: rows / (totalMs / 1000),
    unit: 'rows/s',
    totalMs,
    rows,
  };
}

function batchOf(batch: number) {
  return Array.from({ length: INSERT_BATCH }, (_, i) => ({
    label: `inserted ${batch * INSERT_BATCH + i}`,
    amount: (i % 1000) / 10,
  }));
}

/** 100,000 rows in batches with one set-based statement each, with the driver. */
export async function insertDirect(url: string, target: string): Promise<Measurement> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  for (let batch = 0; batch < TABLE_ROWS / INSERT_BATCH; batch++) {
    await client.query(
      'insert into bench_inserts (label, amount) select label, amount ' +
        'from jsonb_to_recordset($1::jsonb) as r(label text, amount numeric) returning id',
      [JSON.stringify(batchOf(batch))],
    );
  }
  const totalMs = performance.now() - started;
  await client.query('truncate bench_inserts');
  await client.end();
  return inserted(target, 'driver', totalMs);
}

/** The same as POST /api/bench-inserts with arrays of rows. */
export async function insertApi(apiUrl: string, key: string, target: string): Promise<Measurement> {
  const started = performance.now();
  for (let batch = 0; batch < TABLE_ROWS / INSERT_BATCH; batch++) {
    const response = await fetch(`${apiUrl}/bench-inserts`, {
      method: 'POST',
      headers: { 'x-functions-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(batchOf(batch)),
    });
    if (response.status !== 201) throw new Error(`insert answered ${response.status}`);
    await response.arrayBuffer();
  }
  return inserted(target, 'api', performance.now() - started);
}

function inserted(target: string, path: Measurement['path'], totalMs: number) {
  return {
    scenario: `inserting ${TABLE_ROWS.toLocaleString('en')} rows (batches of ${INSERT_BATCH})`,
    target,
    path,
    throughput: TABLE_ROWS / (totalMs / 1000),
    unit: 'rows/s',
    totalMs,
    rows: TABLE_ROWS,
  };
}
