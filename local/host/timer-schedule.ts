import { Cron } from 'croner';
import { ConfigurationError } from '../../src/errors.js';
import { parseTimeSpan } from './time-span.js';

/** A timer's schedule: its next occurrence after a given time. */
export interface TimerSchedule {
  /** The first occurrence strictly after `after`, or undefined when there is none. */
  next(after: Date): Date | undefined;
  /** As the Functions host reports it: true for NCRONTAB, false for a fixed interval. */
  readonly adjustForDST: boolean;
}

/**
 * Reads a timer schedule as the Functions host does: `%Setting%` is taken from the app
 * settings (process.env), a TimeSpan (`00:05:00`) is a fixed interval, anything else is an
 * NCRONTAB expression with seconds (`*\/5 * * * * *`). NCRONTAB needs both day fields to match
 * (day of month and day of week), unlike classic cron, and runs in WEBSITE_TIME_ZONE or UTC.
 */
export function parseSchedule(expression: string, functionName: string): TimerSchedule {
  const resolved = resolveSetting(expression.trim(), functionName);
  const interval = resolved.includes(' ') ? undefined : parseTimeSpan(resolved);
  if (interval !== undefined) return intervalSchedule(interval, resolved, functionName);
  return cronSchedule(resolved, functionName);
}

/** Milliseconds between the next two occurrences after `from`; to decide on the monitor. */
export function typicalInterval(schedule: TimerSchedule, from: Date): number {
  const first = schedule.next(from);
  const second = first === undefined ? undefined : schedule.next(first);
  return first === undefined || second === undefined
    ? Infinity
    : second.getTime() - first.getTime();
}

function resolveSetting(expression: string, functionName: string): string {
  const match = /^%(.+)%$/.exec(expression);
  if (match?.[1] === undefined) return expression;
  const value = process.env[match[1]];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(
      `The timer function "${functionName}" takes its schedule from the app setting ` +
        `${match[1]}, which is not set.`,
    );
  }
  return value.trim();
}

function intervalSchedule(ms: number, text: string, functionName: string): TimerSchedule {
  if (ms <= 0) {
    throw new ConfigurationError(
      `The timer function "${functionName}" has the interval "${text}"; use one above zero.`,
    );
  }
  return { adjustForDST: false, next: (after) => new Date(after.getTime() + ms) };
}

function cronSchedule(expression: string, functionName: string): TimerSchedule {
  let cron: Cron;
  try {
    cron = new Cron(expression, {
      mode: '5-or-6-parts',
      domAndDow: true,
      timezone: process.env.WEBSITE_TIME_ZONE ?? 'UTC',
    });
  } catch (error) {
    throw new ConfigurationError(
      `The timer function "${functionName}" has the schedule "${expression}", which is not ` +
        'an NCRONTAB expression such as "0 */5 * * * *" (second minute hour day month weekday).',
      { cause: error },
    );
  }
  return { adjustForDST: true, next: (after) => cron.nextRun(after) ?? undefined };
}
