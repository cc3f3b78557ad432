import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition as healthDefinition } from '../../functions/health.js';
import { secured } from '../fixtures/host/http-functions.js';
import { queueFunction, timerFunction } from '../fixtures/host/trigger-functions.js';
import { startStack, type RunningStack } from '../../local/stack/start-stack.js';
import { projectRoot } from '../../local/tls/index.js';
import { canConnect } from '../ports.js';

const FUNCTION_KEY = 'e2e-function-key';
const timerRuns: Date[] = [];
const received: { message: unknown; dequeueCount: unknown }[] = [];
let failingAttempts = 0;

const definitions = [
  healthDefinition,
  secured,
  timerFunction('every-second', '*/1 * * * * *', () => {
    timerRuns.push(new Date());
  }),
  queueFunction('collect', 'e2e-events', (message, context) => {
    received.push({ message, dequeueCount: context.triggerMetadata?.dequeueCount });
  }),
  queueFunction('always-fails', 'e2e-broken', () => {
    failingAttempts++;
    throw new Error('this handler always fails');
  }),
];

// Short queue timings, so five failed attempts take seconds rather than minutes.
const hostJson = {
  version: '2.0',
  extensions: {
    http: { routePrefix: 'api' },
    queues: { visibilityTimeout: '00:00:01', maxPollingInterval: '00:00:00.500' },
  },
};

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({
    root: projectRoot(),
    values: {
      KEY_VAULT_URL: 'https://127.0.0.1:0',
      AZURE_AUTHORITY_HOST: 'https://127.0.0.1:0',
      AZURE_TENANT_ID: '7d3f1c2e-9b7d-4e5a-8c1f-2d4b6e8a0c13',
      AZURE_CLIENT_ID: 'e2e-app',
      AZURE_CLIENT_SECRET: 'e2e-client-Secret-123',
      LOCAL_POSTGRES_PORT: '0',
      AzureWebJobsStorage:
        'BlobEndpoint=http://127.0.0.1:0/a;QueueEndpoint=http://127.0.0.1:0/a;' +
        'TableEndpoint=http://127.0.0.1:0/a',
    },
    hostPort: 0,
    dataDir: undefined,
    functionKey: FUNCTION_KEY,
    masterKey: 'e2e-master-key',
    serveFunctions: true,
    definitions,
    hostJson,
  });
});

afterAll(async () => {
  await stack?.stop();
});

function queue(name: string): QueueClient {
  return new QueueClient(stack.values.AzureWebJobsStorage!, name);
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('the offline stack over real HTTP', () => {
  it('answers health with Key Vault and the embedded database', async () => {
    const response = await fetch(`${stack.hostUrl}/api/health`);
    const body = (await response.json()) as { status: string; database: { engine: string } };

    expect(response.status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(body.database.engine).toBe('postgres');
  });

  it('refuses a function-level route without the key, and serves it with the key', async () => {
    const without = await fetch(`${stack.hostUrl}/api/secured`);
    const withKey = await fetch(`${stack.hostUrl}/api/secured`, {
      headers: { 'x-functions-key': FUNCTION_KEY },
    });

    expect(without.status).toBe(401);
    expect(withKey.status).toBe(200);
  });

  it('fires a timer on its schedule', async () => {
    await expect.poll(() => timerRuns.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
  });

  it('delivers a queue message to its function', async () => {
    await queue('e2e-events').createIfNotExists();
    await queue('e2e-events').sendMessage(base64(JSON.stringify({ order: 42 })));

    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    expect(received[0]).toEqual({ message: { order: 42 }, dequeueCount: 1 });
  });

  it('moves a message whose handler always throws to the poison queue after 5 tries', async () => {
    await queue('e2e-broken').createIfNotExists();
    await queue('e2e-broken').sendMessage(base64('"broken"'));

    const poison = queue('e2e-broken-poison');
    await expect
      .poll(
        async () => {
          if (!(await poison.exists())) return 0;
          return (await poison.peekMessages()).peekedMessageItems.length;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    expect(failingAttempts).toBe(5);
    const [message] = (await poison.peekMessages()).peekedMessageItems;
    expect(Buffer.from(message!.messageText, 'base64').toString()).toBe('"broken"');
  });
});

describe('stopping the stack', () => {
  it('leaves no open port', async () => {
    const ports = [
      new URL(stack.hostUrl!).port,
      stack.keyVault.port,
      stack.keyVault.authorityPort,
      new URL(stack.databaseUrl).port,
      new URL(stack.storage.queueUrl).port,
    ].map(Number);
    await stack.stop();

    for (const port of ports) {
      await expect(canConnect(port), `port ${port}`).resolves.toBe(false);
    }
  });
});
