import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The package root (where package.json, data/ and rules/ live), found from this file whether it
 * runs from src/ under tsx or from the compiled dist/.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return (cached = dir);
    dir = dirname(dir);
  }
  throw new Error('ward: cannot find the package root (data/ next to package.json)');
}

export function dataPath(...parts: string[]): string {
  return join(packageRoot(), 'data', ...parts);
}
