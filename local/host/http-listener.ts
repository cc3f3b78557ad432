import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResponse } from '@azure/functions';
import { isAuthorized, type FunctionKeys } from './function-keys.js';
import type { FunctionInvoker, InvocationResult } from './function-invoker.js';
import type { HttpRouteTable, RouteMatch } from './http-route-table.js';
import { PayloadTooLargeError, readRequestBody } from './read-request-body.js';
import { toHttpRequest } from './to-http-request.js';
import { toHttpResponse, writeHttpResponse, writeStatus } from './write-http-response.js';

/** What the HTTP front of the host needs. */
export interface HttpListenerOptions {
  routes: HttpRouteTable;
  invoker: FunctionInvoker;
  keys: FunctionKeys;
  maxRequestBodyBytes: number;
  customHeaders: Record<string, string>;
}

/** Serves the HTTP functions on a node:http server, as the Functions host would. */
export class HttpListener {
  readonly #options: HttpListenerOptions;
  readonly #server: Server;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: HttpListenerOptions) {
    this.#options = options;
    this.#server = createServer((request, response) => {
      const handling = this.#handle(request, response).catch(() =>
        writeStatus(response, 500, true),
      );
      this.#pending.add(handling);
      void handling.finally(() => this.#pending.delete(handling));
    });
  }

  /** Listens and resolves with the port actually bound (port 0 lets the OS choose). */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  /**
   * Stops accepting, lets the requests in progress finish their responses (at most
   * `timeoutMs`), then closes every connection.
   */
  async close(timeoutMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#pending]),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    this.#addCustomHeaders(response);
    const match = this.#options.routes.find(request.method ?? 'GET', url.pathname);
    if (match === undefined && url.pathname === '/') {
      writeLandingPage(response);
      return;
    }
    if (match === undefined) {
      writeStatus(response, 404);
      return;
    }
    if (!isAuthorized(match.route.authLevel, request, url.searchParams, this.#options.keys)) {
      writeStatus(response, 401);
      return;
    }
    const body = await this.#readBody(request, response);
    if (body === undefined) return;
    await this.#invoke(match, toHttpRequest(request, url, match.params, body), request, response);
  }

  /** Set first, so the function's own headers of the same name replace them. */
  #addCustomHeaders(response: ServerResponse): void {
    for (const [name, value] of Object.entries(this.#options.customHeaders)) {
      response.setHeader(name, value);
    }
  }

  async #readBody(request: IncomingMessage, response: ServerResponse): Promise<Buffer | undefined> {
    try {
      return await readRequestBody(request, this.#options.maxRequestBodyBytes);
    } catch (error) {
      // The rest of an oversized body is never read, so the connection cannot be reused.
      writeStatus(response, error instanceof PayloadTooLargeError ? 413 : 400, true);
      return undefined;
    }
  }

  async #invoke(
    match: RouteMatch,
    input: unknown,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const result = await this.#options.invoker.invoke({
      definition: match.route.definition,
      input,
      complete: toHttpResponse,
      fields: (finished) => ({ status: statusOf(finished) }),
    });
    if (result.outcome !== 'succeeded') {
      // An unhandled exception or a timeout: a plain 500, the detail stays in the host.
      writeStatus(response, 500);
      return;
    }
    await writeHttpResponse(response, result.value as HttpResponse | undefined, isHead(request));
  }
}

/** The Functions host answers its root with a page saying the app is running. */
function writeLandingPage(response: ServerResponse): void {
  const page =
    '<!DOCTYPE html><title>Functions</title><p>Your Functions app is up and running.</p>';
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
}

function statusOf(result: InvocationResult): number {
  if (result.outcome !== 'succeeded') return 500;
  return (result.value as HttpResponse | undefined)?.status ?? 204;
}

function isHead(request: IncomingMessage): boolean {
  return request.method === 'HEAD';
}
