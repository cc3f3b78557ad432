import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../src/api/api-request.js';
import { linkWith, publicUrl, rowUrl } from '../../src/api/public-url.js';

function request(url: string, headers: Record<string, string> = {}, key?: string): ApiRequest {
  return {
    method: 'GET',
    url,
    headers,
    params: key === undefined ? { entity: 'e' } : { entity: 'e', key },
  };
}

describe('public URLs', () => {
  it('keeps the URL as received without proxy headers', () => {
    expect(publicUrl(request('http://localhost:7071/api/e')).toString()).toBe(
      'http://localhost:7071/api/e',
    );
  });

  it('takes the first forwarded host and proto, with or without a port', () => {
    const behind = request('http://10.0.0.4:7071/api/e', {
      'x-forwarded-host': 'data.example.com, inner.local',
      'x-forwarded-proto': 'https',
    });
    expect(publicUrl(behind).origin).toBe('https://data.example.com');
    const withPort = request('http://10.0.0.4:7071/api/e', {
      'x-forwarded-host': 'gw.example.com:8443',
    });
    expect(publicUrl(withPort).origin).toBe('http://gw.example.com:8443');
  });

  it('ignores a forwarded host that is not a host name', () => {
    const odd = request('http://localhost:7071/api/e', { 'x-forwarded-host': 'evil.com/path?x' });
    expect(publicUrl(odd).host).toBe('localhost:7071');
  });

  it('drops the function key from links and keeps $ readable', () => {
    const link = linkWith(
      request('http://localhost:7071/api/e?code=k'),
      new URLSearchParams({ code: 'secret-key', $first: '5' }),
    );
    expect(link).toBe('http://localhost:7071/api/e?$first=5');
  });

  it('locates a row from the collection or from an item URL', () => {
    expect(rowUrl(request('http://h/api/e?x=1'), '1,2')).toBe('http://h/api/e/1,2');
    expect(rowUrl(request('http://h/api/e/9', {}, '9'), '9')).toBe('http://h/api/e/9');
  });
});
