import '../../fixtures/host/offline-env.js';
import type { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextLogger } from '../../../functions/http.js';
import { register } from '../../../functions/register.js';
import { startHost, type RunningHost } from '../../../local/host/start-host.js';
import { CaptureLogger } from './capture-logger.js';

const talker = register({
  name: 'talker',
  trigger: 'http',
  options: {
    route: 'talker',
    authLevel: 'anonymous',
    handler: async (_request: unknown, context: InvocationContext) => {
      contextLogger(context).log('info', 'Answered an entity request.', { entity: 'orders' });
      context.warn('plain words');
      return { status: 204 };
    },
  },
});

describe('what functions log through their context', () => {
  const logger = new CaptureLogger();
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost({
      definitions: [talker],
      hostJson: { version: '2.0' },
      port: 0,
      functionKey: 'invocation-log-key',
      logger,
    });
  });

  afterAll(async () => {
    await host.stop();
  });

  it('keeps a structured line flat and a plain one as text, both naming the function', async () => {
    expect((await fetch(`${host.url}/api/talker`)).status).toBe(204);

    const lines = logger.entries.filter((entry) => entry.fields.function === 'talker');
    expect(lines[0]).toMatchObject({
      level: 'info',
      message: 'Answered an entity request.',
      fields: { entity: 'orders', function: 'talker' },
    });
    expect(lines[1]).toMatchObject({ level: 'warn', message: 'plain words' });
    expect(lines[0]?.fields.invocationId).toBe(lines[1]?.fields.invocationId);
  });
});
