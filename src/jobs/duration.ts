import { z } from 'zod';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DURATION = /^([1-9][0-9]{0,5})([smhd])$/;

/**
 * A duration as configuration spells it: a whole number and a unit, `90d`, `12h`, `30m` or
 * `45s`. Months and years are left out on purpose: their length varies, and a purge should
 * mean the same number of days every time it runs.
 */
export const durationSchema = z
  .string()
  .regex(DURATION, 'must be a duration such as 90d, 12h, 30m or 45s')
  .describe('A whole number and a unit: s, m, h or d (90d is ninety days).');

/** The milliseconds of a duration that durationSchema accepted. */
export function durationMs(text: string): number {
  const match = DURATION.exec(text);
  if (match === null) throw new RangeError(`not a duration: ${text}`);
  const unit = match[2] as keyof typeof UNIT_SECONDS;
  return Number(match[1]) * UNIT_SECONDS[unit] * 1000;
}
