// The facts the campaign's window and gate policies need from outside the workflow: the
// window at a given time (pure, cron arithmetic; a local activity), and one sample of a
// gate's Prometheus query (HTTP). The campaign decider rules on both.
import { windowAt, type MaintenanceWindow, type WindowState } from '@bankswitch/campaign-spec';

export function maintenanceWindowAt(input: { windows: readonly MaintenanceWindow[]; at: number }): WindowState {
  return windowAt(input.windows, input.at);
}

/** One sample: the first value of an instant query, or null with why there is none. Never throws for the server's answers: a gate that cannot read a value fails. */
export async function queryGate(input: { url: string; query: string; timeoutMs?: number }): Promise<{ value: number | null; detail: string }> {
  const url = new URL('api/v1/query', input.url.endsWith('/') ? input.url : `${input.url}/`);
  url.searchParams.set('query', input.query);
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(input.timeoutMs ?? 10_000), headers: { accept: 'application/json' } });
    body = await response.json().catch(() => undefined);
    if (!response.ok) return { value: null, detail: `${url.origin}${url.pathname} answered HTTP ${response.status}${errorOf(body)}` };
  } catch (error) {
    return { value: null, detail: `${url.origin}${url.pathname} could not be asked: ${(error as Error).message}` };
  }
  const data = (body as { status?: string; data?: { resultType?: string; result?: unknown } } | undefined)?.data;
  const result = data?.result;
  // vector: [{ metric, value: [time, "1.5"] }]; scalar: [time, "1.5"].
  const raw = data?.resultType === 'scalar' ? (result as unknown[] | undefined)?.[1] : (result as { value?: unknown[] }[] | undefined)?.[0]?.value?.[1];
  if (raw === undefined) return { value: null, detail: 'the query returned no series' };
  const value = Number(raw);
  if (Number.isNaN(value)) return { value: null, detail: `the query returned ${String(raw)}` };
  return { value, detail: '' };
}

const errorOf = (body: unknown) => {
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' ? `: ${error}` : '';
};
