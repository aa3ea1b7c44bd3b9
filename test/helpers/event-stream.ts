/** A Server-Sent Events client for tests: real HTTP, the raw wire format parsed by hand. */
export interface EventStream {
  status: number;
  headers: Headers;
  /** `data` of every message so far, parsed (`{topic: …}`), in arrival order. */
  messages: Array<{ topic: string }>;
  comments: number;
  /** True once the server ended the stream. */
  ended: boolean;
  /** Waits until a message with this topic has arrived after the first `after` messages. */
  next(topic: string, options?: { after?: number; timeoutMs?: number }): Promise<void>;
  untilEnded(timeoutMs?: number): Promise<void>;
  topics(): string[];
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const stream: EventStream = {
    status: response.status,
    headers: response.headers,
    messages: [],
    comments: 0,
    ended: false,
    async next(topic, { after = 0, timeoutMs = 10_000 } = {}) {
      await until(
        () => stream.messages.slice(after).some((message) => message.topic === topic),
        timeoutMs,
        () => {
          return `no "${topic}" message after #${after}; got ${JSON.stringify(stream.topics())}`;
        },
      );
    },
    // Under the default 10-minute stream lifetime, the default bound tells "ended by what the test
    // did" from "lived out its lifetime" with room for a loaded machine.
    async untilEnded(timeoutMs = 10_000) {
      await until(
        () => stream.ended,
        timeoutMs,
        () => 'the stream did not end',
      );
    },
    topics: () => stream.messages.map((message) => message.topic),
    close: () => controller.abort(),
  };
  if (!response.ok || response.body === null) {
    stream.ended = true;
    return stream;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments += 1;
            else if (line.startsWith('data: ')) stream.messages.push(JSON.parse(line.slice(6)));
          }
        }
      }
    } catch {
      // Aborted by close().
    }
    stream.ended = true;
  })();
  return stream;
}

async function until(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
