import { MountdrillError } from '../errors.js';

/**
 * GETs JSON from one of the drill's own containers. The harness reaches them at their
 * addresses on the drill's internal network; nothing else is ever requested.
 */
export async function fetchJson<T>(url: string, timeoutMs = 5_000): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new MountdrillError('EXEC_FAILED', `GET ${url} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!response.ok) {
    throw new MountdrillError('EXEC_FAILED', `GET ${url} returned HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }
  return (await response.json()) as T;
}
