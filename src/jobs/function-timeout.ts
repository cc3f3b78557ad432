import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors.js';

/** Azure's Consumption plan limit, which applies when host.json names none. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 5 * 60;

/**
 * host.json's `functionTimeout` in seconds (`hh:mm:ss` or `d.hh:mm:ss`), the default when the
 * file or the field is absent. `-1` (no limit, on dedicated plans) counts as a day, so a job
 * still has a budget to stop at.
 */
export function readFunctionTimeoutSeconds(hostJsonPath: string): number {
  let text: string;
  try {
    text = readFileSync(hostJsonPath, 'utf8');
  } catch {
    return DEFAULT_FUNCTION_TIMEOUT_SECONDS;
  }
  let value: unknown;
  try {
    value = (JSON.parse(text) as { functionTimeout?: unknown }).functionTimeout;
  } catch {
    throw new ConfigurationError(`${hostJsonPath} is not valid JSON.`);
  }
  if (value === undefined) return DEFAULT_FUNCTION_TIMEOUT_SECONDS;
  const seconds = parseTimeout(value);
  if (seconds === undefined) {
    throw new ConfigurationError(
      `${hostJsonPath}: functionTimeout must be a time span such as "00:10:00".`,
    );
  }
  return seconds;
}

const UNLIMITED_SECONDS = 24 * 3600;

function parseTimeout(value: unknown): number | undefined {
  if (value === '-1' || value === -1) return UNLIMITED_SECONDS;
  if (typeof value !== 'string') return undefined;
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (match === null) return undefined;
  const [, days = '0', hours, minutes, seconds] = match;
  const total =
    Number(days) * 86_400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
  return total > 0 ? total : undefined;
}

/**
 * The default time budget: a fifth of the timeout (at least 30 s, at most 5 minutes) is kept
 * back, so the batch under way when the budget runs out can finish and the run be recorded
 * before the host stops the function.
 */
export function defaultTimeBudgetSeconds(functionTimeoutSeconds: number): number {
  return functionTimeoutSeconds - marginSeconds(functionTimeoutSeconds);
}

/** What is kept back from the function timeout; a batch may run into it, never past it. */
export function marginSeconds(functionTimeoutSeconds: number): number {
  const fifth = Math.round(functionTimeoutSeconds / 5);
  return Math.min(300, Math.max(Math.min(30, functionTimeoutSeconds / 2), fifth));
}
