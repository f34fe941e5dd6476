import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The package root (where package.json is), whether we run from `src/` under ts-jest or from
 * the compiled `dist/` tree.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = parent;
  }
  cached = dir;
  return dir;
}

/** Where build-time artifacts (trained model, knowledge bundle) live. */
export function generatedDir(): string {
  return join(projectRoot(), 'generated');
}
