import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/errors.js';
import { DEFAULT_FUNCTION_TIMEOUT_MS, readHostConfig } from '../../../local/host/host-config.js';
import { isLogged } from '../../../local/host/log-level-filter.js';
import { parseTimeSpan } from '../../../local/host/time-span.js';

describe('readHostConfig', () => {
  it('fills in the Functions host defaults for an empty host.json', () => {
    const config = readHostConfig({ version: '2.0' });
    expect(config.routePrefix).toBe('api');
    expect(config.functionTimeoutMs).toBe(DEFAULT_FUNCTION_TIMEOUT_MS);
    expect(config.queues).toEqual({
      batchSize: 16,
      newBatchThreshold: 8,
      maxDequeueCount: 5,
      visibilityTimeoutMs: 0,
      maxPollingIntervalMs: 60_000,
      messageEncoding: 'base64',
    });
  });

  it('reads the project host.json values', () => {
    const config = readHostConfig({
      functionTimeout: '00:10:00',
      extensions: {
        http: { routePrefix: '/v1/' },
        queues: { batchSize: 4, visibilityTimeout: '00:00:10', messageEncoding: 'none' },
      },
    });
    expect(config.routePrefix).toBe('v1');
    expect(config.functionTimeoutMs).toBe(600_000);
    expect(config.queues.batchSize).toBe(4);
    expect(config.queues.newBatchThreshold).toBe(2);
    expect(config.queues.visibilityTimeoutMs).toBe(10_000);
    expect(config.queues.messageEncoding).toBe('none');
  });

  it('reads functionTimeout -1 as no limit', () => {
    expect(readHostConfig({ functionTimeout: '-1' }).functionTimeoutMs).toBeUndefined();
  });

  it('names the setting at fault', () => {
    expect(() => readHostConfig({ functionTimeout: '10 minutes' })).toThrow(ConfigurationError);
    expect(() => readHostConfig({ functionTimeout: '10 minutes' })).toThrow(/functionTimeout/);
    expect(() => readHostConfig({ extensions: { queues: { batchSize: 64 } } })).toThrow(
      /batchSize/,
    );
  });
});

describe('parseTimeSpan', () => {
  it('reads hours, minutes, seconds, days and fractions', () => {
    expect(parseTimeSpan('00:00:02')).toBe(2_000);
    expect(parseTimeSpan('1.02:00:00')).toBe(26 * 3_600_000);
    expect(parseTimeSpan('00:00:00.5')).toBe(500);
    expect(parseTimeSpan('two seconds')).toBeUndefined();
  });
});

describe('isLogged', () => {
  it('lets the most specific category decide', () => {
    const levels = { default: 'Warning', 'Function.quiet': 'None', 'Function.chatty': 'Trace' };
    expect(isLogged(levels, 'Function.other.User', 'information')).toBe(false);
    expect(isLogged(levels, 'Function.other.User', 'error')).toBe(true);
    expect(isLogged(levels, 'Function.quiet.User', 'critical')).toBe(false);
    expect(isLogged(levels, 'Function.chatty.User', 'debug')).toBe(true);
    expect(isLogged({}, 'Function.x', 'information')).toBe(true);
  });
});
