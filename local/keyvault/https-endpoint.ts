import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Answers one request; a rejection becomes a bare 500. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** What the endpoint needs to serve TLS. */
export interface TlsMaterial {
  cert: string;
  key: string;
}

/**
 * One HTTPS server on 127.0.0.1 that can stop listening and start again on the same port,
 * which is how a vault that is down looks to a client: connections are refused.
 */
export class HttpsEndpoint {
  private readonly server: Server;
  // Raw TCP sockets, for stop(); TLS sockets are what requests arrive on.
  private readonly rawSockets = new Set<Socket>();
  private readonly sockets = new Set<Socket>();
  // Sockets with an answer under way: cut only once it is sent, so an admin call that takes
  // its own server down still gets its answer.
  private readonly busy = new Set<Socket>();
  private boundPort = 0;
  private listening = false;

  constructor(
    tls: TlsMaterial,
    handler: RequestHandler,
    private readonly host: string,
  ) {
    this.server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
      this.markBusy(request.socket, response);
      handler(request, response).catch(() => failBare(response));
    });
    this.server.on('connection', (socket: Socket) => track(this.rawSockets, socket));
    this.server.on('secureConnection', (socket: Socket) => {
      track(this.sockets, socket);
      socket.once('close', () => this.busy.delete(socket));
    });
  }

  /** The port, fixed by the first `listen`. */
  get port(): number {
    return this.boundPort;
  }

  /** The origin clients use, e.g. `https://127.0.0.1:51234`. */
  get origin(): string {
    return `https://${this.host}:${this.boundPort}`;
  }

  /** Listens on the given port (0: system's choice), or again on the port it had before. */
  async listen(port = this.boundPort): Promise<void> {
    if (this.listening) return;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => reject(error);
      this.server.once('error', fail);
      this.server.listen(port, this.host, () => {
        this.server.off('error', fail);
        resolve();
      });
    });
    const address = this.server.address();
    if (address !== null && typeof address === 'object') this.boundPort = address.port;
    this.listening = true;
  }

  /**
   * Stops listening, so new connections are refused, and cuts open ones; an answer under way
   * is finished first. `listen()` takes the same port back.
   */
  async refuse(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    this.server.close();
    for (const socket of this.sockets) if (!this.busy.has(socket)) socket.destroy();
    // The listening handle is released on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Closes for good: every socket is cut and the port is free when this resolves. */
  async stop(): Promise<void> {
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of [...this.sockets, ...this.rawSockets]) socket.destroy();
    await closed;
  }

  private markBusy(socket: Socket, response: ServerResponse): void {
    this.busy.add(socket);
    response.once('close', () => {
      this.busy.delete(socket);
      if (!this.listening) socket.end();
    });
  }
}

function track(sockets: Set<Socket>, socket: Socket): void {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
}

function failBare(response: ServerResponse): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(500, { 'content-type': 'application/json' });
  response.end('{"error":{"code":"InternalServerError","message":"The emulator failed."}}');
}
