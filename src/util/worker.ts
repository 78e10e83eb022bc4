import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module `name` (no extension) beside the caller's module `base`
 * (its import.meta.url): the compiled `.js` when Ward runs from dist/, or, from source (tsx,
 * vitest), the `.ts` with tsx's loader registered inside the new thread first (a thread does not
 * inherit the loader of the one that starts it).
 */
export function moduleWorker(base: string, name: string, options: WorkerOptions = {}): Worker {
  if (base.endsWith('.ts')) {
    const url = new URL(`${name}.ts`, base).href;
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
    return new Worker(boot, { ...options, eval: true });
  }
  return new Worker(new URL(`${name}.js`, base), options);
}
