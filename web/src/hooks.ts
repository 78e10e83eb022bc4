import { useCallback, useEffect, useState } from 'react';
import { api } from './api';

/** Loads `path`, refreshing every `everyMs` (live views); returns data, error and a reload. */
export function useApi<T>(path: string | undefined, everyMs = 0): { data: T | undefined; error: string | undefined; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [n, setN] = useState(0);
  const reload = useCallback(() => setN((x) => x + 1), []);
  useEffect(() => {
    if (!path) return;
    let live = true;
    const load = () =>
      api<T>(path).then(
        (d) => live && (setData(d), setError(undefined)),
        (e: Error) => live && setError(e.message),
      );
    void load();
    const t = everyMs ? setInterval(load, everyMs) : undefined;
    return () => {
      live = false;
      if (t) clearInterval(t);
    };
  }, [path, everyMs, n]);
  return { data, error, reload };
}

/** Hash routing: #/alerts/123 → ['alerts', '123']. */
export function useRoute(): string[] {
  const get = () => window.location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(get);
  useEffect(() => {
    const on = () => setRoute(get());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
