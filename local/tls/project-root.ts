import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the project's package.json, found from this module's own location so
 * that it is the same whether the code runs from `local/` (tests) or `dist/local/` (built),
 * and whatever the working directory is.
 */
export function projectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    const parent = dirname(folder);
    if (parent === folder)
      throw new Error('The project root (a folder with package.json) was not found.');
    folder = parent;
  }
}
