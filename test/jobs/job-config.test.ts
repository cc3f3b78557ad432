import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/api/config.js';
import { ConfigurationError } from '../../src/errors.js';
import { durationMs } from '../../src/jobs/duration.js';
import {
  defaultTimeBudgetSeconds,
  readFunctionTimeoutSeconds,
} from '../../src/jobs/function-timeout.js';
import { resolveJobs } from '../../src/jobs/job.js';

const purge = {
  kind: 'purge',
  schedule: '0 0 3 * * *',
  parameters: { table: 'events', timestampColumn: 'occurred_at', olderThan: '90d' },
};

function mistakeIn(jobs: unknown): string {
  try {
    parseConfig({ entities: {}, jobs });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('job configuration', () => {
  it('fills in the defaults: enabled, batches of 1,000', () => {
    const config = parseConfig({ jobs: { 'purge-events': purge } });

    expect(config.jobs['purge-events']).toEqual({
      ...purge,
      enabled: true,
      parameters: { ...purge.parameters, batchSize: 1000 },
    });
  });

  it('refuses a five-field cron schedule, naming the job and the field', () => {
    expect(mistakeIn({ nightly: { ...purge, schedule: '0 3 * * *' } })).toBe(
      'vaultgate.json is not valid: jobs.nightly.schedule: must be a six-field NCRONTAB ' +
        'expression such as "0 30 2 * * *".',
    );
  });

  it('refuses a schedule that is not NCRONTAB at all', () => {
    expect(mistakeIn({ nightly: { ...purge, schedule: '0 0 25 * * *' } })).toContain(
      'jobs.nightly.schedule: must be a six-field NCRONTAB',
    );
  });

  it('refuses an unknown kind and names the kinds there are', () => {
    expect(mistakeIn({ nightly: { ...purge, kind: 'vacuum' } })).toBe(
      'vaultgate.json is not valid: jobs.nightly.kind: must be one of purge, archive, ' +
        'statistics, procedure, housekeeping.',
    );
  });

  it('refuses a duration without a unit and a batch above the lock escalation', () => {
    const message = mistakeIn({
      nightly: { ...purge, parameters: { ...purge.parameters, olderThan: '90', batchSize: 5000 } },
    });

    expect(message).toContain(
      'jobs.nightly.parameters.olderThan: must be a duration such as 90d, 12h, 30m or 45s',
    );
    expect(message).toContain(
      "jobs.nightly.parameters.batchSize: must be at most 4000, below SQL Server's lock escalation",
    );
  });

  it('refuses a job name that cannot be a function name', () => {
    expect(mistakeIn({ 'Nightly Purge': purge })).toContain(
      'jobs.Nightly Purge: must be a job name of lower-case letters, digits and - (at most 48)',
    );
  });

  it('refuses a field the kind does not know', () => {
    expect(
      mistakeIn({
        stats: { kind: 'statistics', schedule: '0 0 4 * * *', parameters: { table: 'x' } },
      }),
    ).toContain('jobs.stats.parameters');
  });
});

describe('resolved jobs', () => {
  it('adds the built-in housekeeping job and gives each job a budget under the timeout', () => {
    const jobs = resolveJobs(parseConfig({ jobs: { 'purge-events': purge } }).jobs, 600);

    expect(jobs.map((job) => [job.name, job.kind, job.timeBudgetSeconds, job.builtIn])).toEqual([
      ['housekeeping', 'housekeeping', 480, true],
      ['purge-events', 'purge', 480, false],
    ]);
  });

  it('lets a configured housekeeping job replace the built-in one', () => {
    const jobs = resolveJobs(
      parseConfig({
        jobs: { tidy: { kind: 'housekeeping', schedule: '0 0 1 * * 0', enabled: false } },
      }).jobs,
      600,
    );

    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      name: 'tidy',
      enabled: false,
      builtIn: false,
      parameters: { runHistoryOlderThan: '90d', batchSize: 1000 },
    });
  });

  it('fails the start when a time budget does not fit in the function timeout', () => {
    const config = parseConfig({ jobs: { long: { ...purge, timeBudgetSeconds: 300 } } });

    expect(() => resolveJobs(config.jobs, 300)).toThrow(
      "vaultgate.json: jobs.long.timeBudgetSeconds is 300, but host.json's functionTimeout is " +
        '300 s; leave room for the last batch, e.g. 240.',
    );
  });

  it('refuses a job of another kind under the built-in name', () => {
    const config = parseConfig({ jobs: { housekeeping: purge } });

    expect(() => resolveJobs(config.jobs, 600)).toThrow(
      /jobs\.housekeeping is the name of the built-in job/,
    );
  });
});

describe('time limits', () => {
  const hostJson = (content: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'vg-host-')), 'host.json');
    writeFileSync(path, content);
    return path;
  };

  it("reads host.json's functionTimeout, and Consumption's five minutes without it", () => {
    expect(readFunctionTimeoutSeconds(hostJson('{"functionTimeout": "00:10:00"}'))).toBe(600);
    expect(readFunctionTimeoutSeconds(hostJson('{"functionTimeout": "1.00:00:00"}'))).toBe(86_400);
    expect(readFunctionTimeoutSeconds(hostJson('{"version": "2.0"}'))).toBe(300);
    expect(readFunctionTimeoutSeconds('/nonexistent/host.json')).toBe(300);
  });

  it('refuses a functionTimeout that is not a time span', () => {
    expect(() => readFunctionTimeoutSeconds(hostJson('{"functionTimeout": "10m"}'))).toThrow(
      /functionTimeout must be a time span such as "00:10:00"/,
    );
  });

  it('keeps a margin for the last batch and the record', () => {
    expect(defaultTimeBudgetSeconds(300)).toBe(240);
    expect(defaultTimeBudgetSeconds(600)).toBe(480);
    expect(defaultTimeBudgetSeconds(3600)).toBe(3300);
    expect(defaultTimeBudgetSeconds(60)).toBe(30);
  });

  it('reads durations in seconds, minutes, hours and days', () => {
    expect([durationMs('45s'), durationMs('30m'), durationMs('12h'), durationMs('90d')]).toEqual([
      45_000, 1_800_000, 43_200_000, 7_776_000_000,
    ]);
  });
});
