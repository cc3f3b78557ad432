import type { Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { startHost } from '../../../local/host/start-host.js';
import { MemoryTimerStatusStore } from '../../../local/host/timer-status-store.js';
import { timerFunction } from '../../fixtures/host/trigger-functions.js';
import { CaptureLogger } from './capture-logger.js';

const hostJson = { version: '2.0' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function hostFor(definitions: Parameters<typeof startHost>[0]['definitions'], extra = {}) {
  return startHost({
    definitions,
    hostJson,
    port: 0,
    functionKey: 'timer-test-key',
    logger: new CaptureLogger(),
    ...extra,
  });
}

describe('timer functions', () => {
  it('fire every second at least twice and never overlap while a run is slow', async () => {
    const runs: { start: number; end: number; timer: Timer }[] = [];
    const slow = timerFunction('everySecond', '* * * * * *', async (timer) => {
      const start = Date.now();
      await sleep(1_200);
      runs.push({ start, end: Date.now(), timer });
    });
    const host = await hostFor([slow]);
    await sleep(4_500);
    await host.stop();

    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (let index = 1; index < runs.length; index += 1) {
      expect(runs[index]!.start).toBeGreaterThanOrEqual(runs[index - 1]!.end);
    }
    const [first] = runs;
    expect(first!.timer).toEqual({
      schedule: { adjustForDST: true },
      scheduleStatus: null,
      isPastDue: false,
    });
  });

  it('runs once at start with runOnStartup, then waits for the schedule', async () => {
    const timers: Timer[] = [];
    const yearly = timerFunction('yearly', '0 0 0 1 1 *', (timer) => void timers.push(timer), {
      runOnStartup: true,
    });
    const host = await hostFor([yearly]);
    await sleep(500);
    await host.stop();

    expect(timers).toHaveLength(1);
    expect(timers[0]!.isPastDue).toBe(false);
    expect(timers[0]!.scheduleStatus).toMatchObject({
      last: '0001-01-01T00:00:00.000Z',
      lastUpdated: '0001-01-01T00:00:00.000Z',
    });
    expect(timers[0]!.scheduleStatus.next).toMatch(/-01-01T00:00:00\.000Z$/);
  });

  it('reports isPastDue when a restarted host finds a missed occurrence', async () => {
    const store = new MemoryTimerStatusStore();
    const seen: Timer[] = [];
    const watched = timerFunction('watched', '* * * * * *', (timer) => void seen.push(timer), {
      useMonitor: true,
    });
    const first = await hostFor([watched], { timerStatusStore: store });
    await sleep(1_300);
    await first.stop();
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[0]!.isPastDue).toBe(false);

    await sleep(1_500);
    const before = seen.length;
    const second = await hostFor([watched], { timerStatusStore: store });
    await sleep(300);
    await second.stop();

    const restarted = seen[before];
    expect(restarted?.isPastDue).toBe(true);
    expect(Date.parse(restarted!.scheduleStatus.next)).toBeLessThan(Date.now());
  });

  it('logs a run past functionTimeout as timed out and keeps the schedule', async () => {
    const logger = new CaptureLogger();
    const stuck = timerFunction(
      'stuck',
      '0 0 0 1 1 *',
      async () => {
        await sleep(1_500);
      },
      {
        runOnStartup: true,
      },
    );
    const host = await startHost({
      definitions: [stuck],
      hostJson: { version: '2.0', functionTimeout: '00:00:00.300' },
      port: 0,
      functionKey: 'timer-test-key',
      logger,
    });
    await sleep(600);
    await host.stop();

    expect(logger.invocations('stuck')).toEqual([
      expect.objectContaining({ trigger: 'timer', outcome: 'timedOut' }),
    ]);
  });

  it('refuses a schedule that is not NCRONTAB, naming the function', async () => {
    const broken = timerFunction('broken', 'every day at noon', () => undefined);
    await expect(hostFor([broken])).rejects.toThrow(/"broken".*NCRONTAB/);
  });
});
