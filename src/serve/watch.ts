import { watch, type FSWatcher } from 'node:fs';

/**
 * Reloads rules when a file under the rule folders changes (an editor save, a git pull), after a
 * quiet period so a burst of writes causes one reload. Uses recursive fs.watch where the platform
 * has it (Linux since Node 20); where watching fails, SIGHUP and the API still reload.
 */
export function watchRuleFolders(dirs: string[], reload: () => Promise<unknown>, log: (m: string) => void, quietMs = 1000): () => void {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const trigger = (file: string | null) => {
    if (file && !/\.(ya?ml|json)$/i.test(file)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      reload().catch((e: Error) => log(`rules: automatic reload failed: ${e.message}`));
    }, quietMs);
  };
  for (const d of dirs) {
    try {
      const w = watch(d, { recursive: true }, (_ev, file) => trigger(file ? String(file) : null));
      w.on('error', (e) => log(`rules: watching ${d} stopped: ${e.message}`));
      watchers.push(w);
    } catch (e) {
      log(`rules: cannot watch ${d} (${(e as Error).message}); reload with SIGHUP or POST /api/v1/rules/reload`);
    }
  }
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
