import type { Cookie } from '@azure/functions';

/**
 * One Set-Cookie header value for a response cookie, written as the Functions host writes
 * it: the value escaped like .NET's Uri.EscapeDataString, SameSite only when it was given.
 */
export function setCookieHeader(cookie: Cookie): string {
  const parts = [`${cookie.name}=${escapeDataString(cookie.value)}`];
  if (cookie.expires !== undefined) parts.push(`Expires=${httpDate(cookie.expires)}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${Math.trunc(cookie.maxAge)}`);
  if (cookie.domain !== undefined) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path !== undefined) parts.push(`Path=${cookie.path}`);
  if (cookie.secure === true) parts.push('Secure');
  if (cookie.sameSite !== undefined) parts.push(`SameSite=${cookie.sameSite}`);
  if (cookie.httpOnly === true) parts.push('HttpOnly');
  return parts.join('; ');
}

function httpDate(expires: Date | number): string {
  return (typeof expires === 'number' ? new Date(expires) : expires).toUTCString();
}

function escapeDataString(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
