import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../local/host/start-host.js';
import { DEFAULT_MAX_REQUEST_BODY_BYTES } from '../../../local/host/read-request-body.js';
import { definitions } from '../../fixtures/host/http-functions.js';
import { CaptureLogger } from './capture-logger.js';

const FUNCTION_KEY = 'test-function-key-0001';
const MASTER_KEY = 'test-master-key-0002';
const hostJson = {
  version: '2.0',
  extensions: { http: { routePrefix: 'api', customHeaders: { 'x-powered-by': 'host' } } },
};

describe('offline host over HTTP', () => {
  const logger = new CaptureLogger();
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost({
      definitions,
      hostJson,
      port: 0,
      functionKey: FUNCTION_KEY,
      masterKey: MASTER_KEY,
      logger,
      maxRequestBodyBytes: 1_024,
    });
  });

  afterAll(async () => {
    await host.stop();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${host.url}${path}`, init);

  it('serves route values of a template with an optional parameter', async () => {
    const response = await get('/api/items/orders/42?$top=5');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.params).toEqual({ entity: 'orders', key: '42' });
    expect(body.query).toEqual({ $top: '5' });
    expect(body.url).toBe(`${host.url}/api/items/orders/42?$top=5`);
    expect(body.functionName).toBe('items');

    const withoutKey = (await (await get('/api/items/orders')).json()) as Record<string, unknown>;
    expect(withoutKey.params).toEqual({ entity: 'orders' });
  });

  it('gives a typed route only values of its type, the next route the rest', async () => {
    const typed = (await (await get('/api/typed/12')).json()) as Record<string, unknown>;
    expect(typed.functionName).toBe('typed');
    const named = (await (await get('/api/typed/twelve')).json()) as Record<string, unknown>;
    expect(named.functionName).toBe('typedFallback');
  });

  it('gives the wildcard parameter the rest of the path', async () => {
    const body = (await (await get('/api/files/2024/06/report.csv')).json()) as {
      params: unknown;
    };
    expect(body.params).toEqual({ rest: '2024/06/report.csv' });
  });

  it('serves a function without a route at its name under the prefix', async () => {
    expect((await get('/api/defaultRoute')).status).toBe(200);
    expect((await get('/defaultRoute')).status).toBe(404);
  });

  it('answers 404 when the method is not one of the function', async () => {
    const response = await get('/api/items/orders/1', { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('answers 404 when no route fits', async () => {
    expect((await get('/api/nowhere/at/all')).status).toBe(404);
  });

  it('answers 401 without the key where authLevel is function', async () => {
    expect((await get('/api/secured')).status).toBe(401);
    expect((await get('/api/secured', { headers: { 'x-functions-key': 'wrong' } })).status).toBe(
      401,
    );
  });

  it('answers 200 with the key in the header or the code parameter', async () => {
    const header = await get('/api/secured', { headers: { 'x-functions-key': FUNCTION_KEY } });
    expect(header.status).toBe(200);
    expect((await get(`/api/secured?code=${FUNCTION_KEY}`)).status).toBe(200);
    expect((await get(`/api/secured?code=${MASTER_KEY}`)).status).toBe(200);
  });

  it('opens an admin function with the master key only', async () => {
    expect((await get(`/api/admin-only?code=${FUNCTION_KEY}`)).status).toBe(401);
    const master = await get('/api/admin-only', { headers: { 'x-functions-key': MASTER_KEY } });
    expect(master.status).toBe(200);
  });

  it('round-trips a JSON body', async () => {
    const response = await get('/api/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', tags: ['x'] }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ received: { name: 'Ada', tags: ['x'] } });
  });

  it('round-trips a text body', async () => {
    const response = await get('/api/echo', { method: 'POST', body: 'plain words ✓' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('plain words ✓');
  });

  it('answers 413 above the body limit, with or without a length', async () => {
    const declared = await get('/api/echo', { method: 'POST', body: 'x'.repeat(2_048) });
    expect(declared.status).toBe(413);
    expect(await chunkedPost(host.port, '/api/echo', 2_048)).toBe(413);
    expect(await chunkedPost(host.port, '/api/echo', 512)).toBe(200);
  });

  it('uses the Functions host limit of 100 MB by default', () => {
    expect(DEFAULT_MAX_REQUEST_BODY_BYTES).toBe(100 * 1024 * 1024);
  });

  it('answers 500 with no detail when the handler throws, and logs the failure', async () => {
    const response = await get('/api/boom');
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('');
    const [line] = logger.invocations('boom');
    expect(line).toMatchObject({ trigger: 'http', outcome: 'failed', status: 500, code: 'Error' });
    expect(logger.lines.join('\n')).not.toContain('internal detail');
    const userLog = logger.entries.find((entry) => entry.message === 'about to fail');
    expect(userLog?.level).toBe('error');
  });

  it('answers 500 when the handler returns something that is not a response', async () => {
    expect((await get('/api/not-a-response')).status).toBe(500);
  });

  it('writes status, headers, a Buffer body and cookies from an HttpResponse', async () => {
    const response = await get('/api/extras');
    expect(response.status).toBe(202);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(await response.text()).toBe('bytes');
    expect(response.headers.getSetCookie()).toEqual([
      'session=a%20b; Path=/; SameSite=Strict; HttpOnly',
      'plain=v; Max-Age=60',
    ]);
  });

  it('streams a Readable body, its own header replacing a custom one', async () => {
    const response = await get('/api/streamed');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-powered-by')).toBe('me');
    expect(await response.text()).toBe('line 1\nline 2\n');
  });

  it('adds host.json customHeaders to responses', async () => {
    const response = await get('/api/typed/1');
    expect(response.headers.get('x-powered-by')).toBe('host');
  });

  it('answers its root with a page saying the app runs', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('up and running');
  });

  it('answers 204 when the handler returns nothing', async () => {
    const response = await get('/api/nothing');
    expect(response.status).toBe(204);
  });

  it('logs one line per invocation with function, id, trigger, outcome and time', async () => {
    const before = logger.invocations('typed').length;
    await get('/api/typed/5');
    const lines = logger.invocations('typed');
    expect(lines).toHaveLength(before + 1);
    const line = lines.at(-1)!;
    expect(line).toMatchObject({ trigger: 'http', outcome: 'succeeded', status: 200 });
    expect(line.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof line.ms).toBe('number');
  });

  it('never writes a key to the log', async () => {
    await get(`/api/secured?code=${FUNCTION_KEY}`);
    const all = logger.lines.join('\n');
    expect(all).not.toContain(FUNCTION_KEY);
    expect(all).not.toContain(MASTER_KEY);
  });
});

describe('stopping the offline host', () => {
  it('waits for a running request, then leaves the port closed', async () => {
    const host = await startHost({
      definitions,
      hostJson,
      port: 0,
      functionKey: FUNCTION_KEY,
      logger: new CaptureLogger(),
    });
    const running = fetch(`${host.url}/api/slow/300`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await host.stop();
    const response = await running;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('done');
    await expect(connectTo(host.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

function chunkedPost(port: number, path: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'POST' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    // Two writes with no Content-Length: sent chunked, so only counting can catch it.
    request.write('y'.repeat(size / 2));
    request.end('y'.repeat(size / 2));
  });
}

function connectTo(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}
