// Data read from the API for a page: loading, the API's error, a reload, and an optional
// quiet refresh that keeps showing what was read while it reads again.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type Api } from '../api/client';
import { useSession } from '../session';

export interface ApiData<T> {
  readonly data?: T;
  readonly error?: ApiError;
  readonly loading: boolean;
  reload(): void;
}

/** `key` names what `load` reads: a new key reads afresh (and shows nothing old meanwhile). */
export function useApiData<T>(load: (api: Api) => Promise<T>, key: string, options: { refreshMs?: number } = {}): ApiData<T> {
  const { api } = useSession();
  const loader = useRef(load);
  loader.current = load;
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiError; loading: boolean }>({ key, loading: true });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let current = true;
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, loading: true }));
    loader.current(api).then(
      (data) => current && setState({ key, data, loading: false }),
      (error: unknown) => current && setState((s) => ({ ...s, key, error: error instanceof ApiError ? error : new ApiError(0, 'client', String(error)), loading: false })),
    );
    return () => {
      current = false;
    };
  }, [api, key, generation]);

  useEffect(() => {
    if (!options.refreshMs) return;
    const timer = setInterval(reload, options.refreshMs);
    return () => clearInterval(timer);
  }, [options.refreshMs, reload]);

  const fresh = state.key === key;
  return { data: fresh ? state.data : undefined, error: fresh ? state.error : undefined, loading: !fresh || state.loading, reload };
}
