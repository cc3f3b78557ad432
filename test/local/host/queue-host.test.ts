import type { InvocationContext } from '@azure/functions';
import { connect } from 'node:net';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../local/azurite/start-azurite.js';
import { startHost, type RunningHost } from '../../../local/host/start-host.js';
import { queueFunction } from '../../fixtures/host/trigger-functions.js';
import { CaptureLogger } from './capture-logger.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('The condition did not come true in time.');
    await sleep(100);
  }
}

describe('queue functions on Azurite', () => {
  let azurite: RunningAzurite;
  const hosts: RunningHost[] = [];

  beforeAll(async () => {
    azurite = await startAzurite();
  });

  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    await azurite?.stop();
  });

  async function hostWith(
    definition: ReturnType<typeof queueFunction>,
    queues: Record<string, unknown> = {},
    logger = new CaptureLogger(),
  ) {
    const host = await startHost({
      definitions: [definition],
      hostJson: {
        version: '2.0',
        extensions: { queues: { maxPollingInterval: '00:00:01', ...queues } },
      },
      port: 0,
      functionKey: 'queue-test-key',
      storageConnectionString: azurite.connectionString,
      logger,
    });
    hosts.push(host);
    return host;
  }

  const client = (name: string) => new QueueClient(azurite.connectionString, name);

  it('creates the queue when it is missing', async () => {
    await hostWith(queueFunction('creates', 'made-by-host', () => undefined));
    expect(await client('made-by-host').exists()).toBe(true);
  });

  it('delivers a base64 message, JSON-parsed, with dequeueCount 1, then deletes it', async () => {
    const received: { input: unknown; context: InvocationContext }[] = [];
    const logger = new CaptureLogger();
    await hostWith(
      queueFunction(
        'orders',
        'orders-in',
        (input, context) => void received.push({ input, context }),
      ),
      {},
      logger,
    );
    const sent = await client('orders-in').sendMessage(base64(JSON.stringify({ order: 7 })));

    const { input, context } = await until(() => received[0]);
    expect(input).toEqual({ order: 7 });
    expect(context.functionName).toBe('orders');
    expect(context.triggerMetadata).toMatchObject({
      dequeueCount: 1,
      id: sent.messageId,
      queueTrigger: { order: 7 },
      insertionTime: sent.insertedOn.toISOString(),
      expirationTime: sent.expiresOn.toISOString(),
    });
    expect(typeof context.triggerMetadata?.popReceipt).toBe('string');
    expect(typeof context.triggerMetadata?.nextVisibleTime).toBe('string');

    await until(async () => {
      const peeked = await client('orders-in').peekMessages();
      return peeked.peekedMessageItems.length === 0 ? true : undefined;
    });
    expect(logger.invocations('orders')[0]).toMatchObject({
      trigger: 'storageQueue',
      outcome: 'succeeded',
      queue: 'orders-in',
      messageId: sent.messageId,
      dequeueCount: 1,
    });
  });

  it('hands over text that is not JSON as a string', async () => {
    const inputs: unknown[] = [];
    await hostWith(queueFunction('texts', 'texts-in', (input) => void inputs.push(input)));
    await client('texts-in').sendMessage(base64('just words'));
    expect(await until(() => inputs[0])).toBe('just words');
  });

  it('reads messages as they are when messageEncoding is none', async () => {
    const inputs: unknown[] = [];
    await hostWith(
      queueFunction('raw', 'raw-in', (input) => void inputs.push(input)),
      {
        messageEncoding: 'none',
      },
    );
    await client('raw-in').sendMessage('[1,2,3]');
    expect(await until(() => inputs[0])).toEqual([1, 2, 3]);
  });

  it('reads the connection from the app setting the function names', async () => {
    process.env.VaultgateHostTestStorage = azurite.connectionString;
    const inputs: unknown[] = [];
    const definition = queueFunction('named', 'named-in', (input) => void inputs.push(input));
    definition.options.connection = 'VaultgateHostTestStorage';
    const host = await startHost({
      definitions: [definition],
      hostJson: { version: '2.0', extensions: { queues: { maxPollingInterval: '00:00:01' } } },
      port: 0,
      functionKey: 'queue-test-key',
      logger: new CaptureLogger(),
    });
    hosts.push(host);
    await client('named-in').sendMessage(base64('"via setting"'));
    expect(await until(() => inputs[0])).toBe('via setting');
  });

  it('refuses to start when the connection setting is missing, naming it', async () => {
    const definition = queueFunction('unset', 'unset-in', () => undefined);
    definition.options.connection = 'VaultgateHostTestUnset';
    await expect(
      startHost({
        definitions: [definition],
        hostJson: { version: '2.0' },
        port: 0,
        functionKey: 'queue-test-key',
        logger: new CaptureLogger(),
      }),
    ).rejects.toThrow(/VaultgateHostTestUnset/);
  });

  it('moves a message that always fails to <queue>-poison after 5 dequeues', async () => {
    const dequeueCounts: unknown[] = [];
    await hostWith(
      queueFunction('failing', 'failing-in', (_input, context) => {
        dequeueCounts.push(context.triggerMetadata?.dequeueCount);
        throw new Error('always fails');
      }),
      { visibilityTimeout: '00:00:01' },
    );
    const original = base64(JSON.stringify({ bad: true }));
    await client('failing-in').sendMessage(original);

    const poisoned = await until(async () => {
      if (!(await client('failing-in-poison').exists())) return undefined;
      const peeked = await client('failing-in-poison').peekMessages();
      return peeked.peekedMessageItems[0];
    }, 25_000);
    expect(poisoned.messageText).toBe(original);
    expect(dequeueCounts).toEqual([1, 2, 3, 4, 5]);
    const left = await client('failing-in').peekMessages();
    expect(left.peekedMessageItems).toHaveLength(0);
  });

  it('answers the connection string it reports, and stop() closes Azurite', async () => {
    const own = await startAzurite();
    const queue = new QueueClient(own.connectionString, 'probe');
    await queue.createIfNotExists();
    expect(own.queueUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    const port = Number(new URL(own.queueUrl).port);
    await expect(connectTo(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

function connectTo(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}
