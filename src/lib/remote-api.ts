/** A command-line mistake in one of the remote commands: the CLI prints it with the help text. */
export class CommandUsageError extends Error {}

/** A problem+json answer from the server, as one readable message. */
export class RemoteApiError extends Error {}

export interface RemoteTarget {
  url: string;
  apiKey: string;
}

/** `--url`/`KLAXON_URL` and `--api-key`/`KLAXON_API_KEY`; the key is never taken from elsewhere. */
export function remoteTarget(values: { url?: string | undefined; 'api-key'?: string | undefined }): RemoteTarget {
  const url = values.url ?? process.env.KLAXON_URL;
  const apiKey = values['api-key'] ?? process.env.KLAXON_API_KEY;
  if (url === undefined || url === '') throw new CommandUsageError('give the server with --url or KLAXON_URL');
  if (apiKey === undefined || apiKey === '') {
    throw new CommandUsageError('give an admin API key with --api-key or KLAXON_API_KEY');
  }
  return { url: url.replace(/\/+$/, ''), apiKey };
}

/** Calls the Klaxon API; a non-2xx answer becomes a RemoteApiError with the problem's detail and field errors. */
export async function callApi(
  target: RemoteTarget,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new RemoteApiError(`cannot reach ${target.url}: ${cause}`);
  }
  if (response.ok) return response;
  const text = await response.text();
  let message = `${response.status} ${response.statusText}`;
  try {
    const problem = JSON.parse(text) as {
      title?: string;
      detail?: string;
      errors?: { path: string; message: string }[];
    };
    message = `${response.status} ${problem.title ?? ''}${problem.detail ? `: ${problem.detail}` : ''}`;
    for (const error of problem.errors ?? []) message += `\n  ${error.path}: ${error.message}`;
  } catch {
    // Not problem+json (a proxy's page, say): the status line says enough.
  }
  throw new RemoteApiError(message);
}
