import { createServer } from 'node:net';

/** A port the stack wants, with what uses it and the setting that moves it. */
export interface WantedPort {
  port: number;
  service: string;
  setting: string;
}

/**
 * Fails with one sentence per busy port, naming the service and the setting that moves it,
 * before anything starts: a half-started stack is harder to read than a clear refusal.
 */
export async function assertPortsFree(wanted: WantedPort[]): Promise<void> {
  const busy: string[] = [];
  for (const { port, service, setting } of wanted) {
    if (port === 0 || (await isFree(port))) continue;
    busy.push(
      `Port ${port} (${service}) is already in use: stop what uses it, or set ${setting} ` +
        'in local.settings.json to another port.',
    );
  }
  if (busy.length > 0) throw new Error(busy.join('\n'));
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}
