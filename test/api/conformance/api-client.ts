import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { entities } from '../../../functions/entities.js';
import { entitiesItem } from '../../../functions/entities-item.js';
import type { Capture } from '../../capture.js';

export const BASE = 'http://localhost:7071/api';

/** A response as a test reads it. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- each test knows its shape
}

export interface CallOptions {
  body?: unknown;
  /** Raw body text, sent as is. */
  text?: string;
  headers?: Record<string, string>;
}

/**
 * Calls the entity functions as the host would: the path after /api/ picks the function
 * and its route values (decoded, as hosts decode them), the URL keeps the raw path.
 */
export async function call(
  capture: Capture,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const [pathname = '', search = ''] = path.split('?');
  const [entity = '', key] = pathname.split('/');
  const params: Record<string, string> = { entity: decodeURIComponent(entity) };
  if (key !== undefined) params.key = decodeURIComponent(key);
  const headers: Record<string, string> = { ...options.headers };
  let body: { string: string } | undefined;
  if (options.body !== undefined || options.text !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = { string: options.text ?? JSON.stringify(options.body) };
  }
  const request = new HttpRequest({
    method,
    url: `${BASE}/${pathname}${search === '' ? '' : `?${search}`}`,
    headers,
    params,
    ...(body === undefined ? {} : { body }),
  });
  const handler = key === undefined ? entities : entitiesItem;
  const response: HttpResponseInit = await handler(request, capture.context('entities'));
  capture.add(response);
  return {
    status: response.status ?? 200,
    headers: (response.headers ?? {}) as Record<string, string>,
    body: response.jsonBody,
  };
}

/** The demo entities, with sources in the given schema; written to a temporary file. */
export function writeDemoConfig(schema: string | undefined): string {
  const source = (table: string) => (schema === undefined ? table : `${schema}.${table}`);
  const all = ['read', 'create', 'update', 'delete'];
  const config = {
    entities: {
      customers: { source: source('customers'), actions: all, maxPageSize: 1000 },
      orders: { source: source('orders'), actions: all, maxPageSize: 1000 },
      'order-lines': { source: source('order_lines'), actions: all, maxPageSize: 5000 },
      events: { source: source('events'), actions: ['read', 'create'], maxPageSize: 5000 },
      people: {
        source: source('customers'),
        actions: ['read'],
        fields: { include: ['name', 'country'] },
      },
    },
  };
  const path = join(mkdtempSync(join(tmpdir(), 'vaultgate-api-')), 'vaultgate.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}
