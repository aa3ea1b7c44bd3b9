import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NtfyPublished {
  topic: string;
  title?: string;
  message?: string;
  priority?: number;
  tags?: string[];
  click?: string;
  actions?: Array<{ action: string; label: string; url: string; method?: string; clear?: boolean }>;
  authorization: string | undefined;
}

/**
 * An ntfy server on loopback that accepts what https://docs.ntfy.sh/publish/#publish-as-json
 * describes: `POST /` with a JSON body naming the `topic`, at most 3 `actions`, priority 1–5.
 * A topic can be protected by an access token (`Authorization: Bearer tk_…`,
 * https://docs.ntfy.sh/publish/#access-tokens): without it, 403 as ntfy answers.
 */
export async function startFakeNtfy(options: { protectedTopics?: Record<string, string> } = {}) {
  const published: NtfyPublished[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.method !== 'POST' || request.url !== '/') return answer(404, { code: 40401, error: 'not found' });
      let body: Omit<NtfyPublished, 'authorization'>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(400, { code: 40024, error: 'invalid request: JSON body invalid' });
      }
      if (typeof body.topic !== 'string' || !/^[-_A-Za-z0-9]{1,64}$/.test(body.topic)) {
        return answer(400, { code: 40009, error: 'invalid topic' });
      }
      if ((body.actions?.length ?? 0) > 3) return answer(400, { code: 40018, error: 'too many actions' });
      if (body.priority !== undefined && (body.priority < 1 || body.priority > 5)) {
        return answer(400, { code: 40007, error: 'invalid priority' });
      }
      const token = options.protectedTopics?.[body.topic];
      if (token !== undefined && request.headers.authorization !== `Bearer ${token}`) {
        return answer(403, { code: 40301, error: 'forbidden' });
      }
      published.push({ ...body, authorization: request.headers.authorization });
      answer(200, { id: `m${published.length}`, time: Math.floor(Date.now() / 1000), event: 'message', ...body });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    published,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
