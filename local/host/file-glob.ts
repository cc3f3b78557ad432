import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The files under `root` that match a glob such as `dist/functions/*.js`: `*` and `?` within
 * a segment, `**` for any number of folders. Sorted, so loading order is stable.
 */
export async function matchFiles(root: string, pattern: string): Promise<string[]> {
  const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.');
  const found = await walk(root, segments);
  return found.sort();
}

async function walk(folder: string, segments: string[]): Promise<string[]> {
  const [segment, ...rest] = segments;
  if (segment === undefined) return [];
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  if (segment === '**') {
    const here = await walk(folder, rest);
    const deeper = entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => walk(join(folder, entry.name), segments));
    return [...here, ...(await Promise.all(deeper)).flat()];
  }
  const matcher = segmentMatcher(segment);
  const matches = entries.filter((entry) => matcher.test(entry.name));
  if (rest.length === 0) {
    return matches.filter((entry) => entry.isFile()).map((entry) => join(folder, entry.name));
  }
  const nested = matches
    .filter((entry) => entry.isDirectory())
    .map((entry) => walk(join(folder, entry.name), rest));
  return (await Promise.all(nested)).flat();
}

function segmentMatcher(segment: string): RegExp {
  const source = segment
    .split('')
    .map((char) => (char === '*' ? '[^/]*' : char === '?' ? '[^/]' : escape(char)))
    .join('');
  return new RegExp(`^${source}$`);
}

function escape(char: string): string {
  return /[.+^${}()|[\]\\]/.test(char) ? `\\${char}` : char;
}
