import { describe, expect, it } from 'vitest';
import { createImmediateSends, type ImmediateSend } from './immediate-sends.js';

const send = (n: number): ImmediateSend => ({ notificationId: `n${n}`, jobId: `j${n}` });

/** A promise with its resolve function, to hold a send in progress. */
function held() {
  let release: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

const quietLog = { error() {} };
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('immediate sends', () => {
  it('sends at once, never more than `concurrency` at a time, each once', async () => {
    const gates = new Map<string, ReturnType<typeof held>>();
    let inProgress = 0;
    let most = 0;
    const sent: string[] = [];
    const sends = createImmediateSends({
      concurrency: 2,
      retryLimit: 3,
      log: quietLog,
      retryLater: async () => {},
      send: async (id) => {
        inProgress += 1;
        most = Math.max(most, inProgress);
        const gate = held();
        gates.set(id, gate);
        await gate.promise;
        inProgress -= 1;
        sent.push(id);
      },
    });
    sends.run([send(1), send(2), send(3), send(4), send(5)]);
    await turn();
    expect([...gates.keys()]).toEqual(['n1', 'n2']);
    for (let i = 1; i <= 5; i += 1) {
      gates.get(`n${i}`)?.release();
      await turn();
    }
    expect(sent).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(most).toBe(2);
  });

  it('hands a failed send to retryLater under its job id; the first try is the last only without retries', async () => {
    const tries: Array<[string, boolean]> = [];
    const retried: ImmediateSend[] = [];
    const failing = (retryLimit: number) =>
      createImmediateSends({
        concurrency: 4,
        retryLimit,
        log: quietLog,
        retryLater: async (failed) => {
          retried.push(failed);
        },
        send: async (id, isLastTry) => {
          tries.push([id, isLastTry]);
          throw new Error('channel unavailable');
        },
      });
    failing(3).run([send(1)]);
    failing(0).run([send(2)]);
    await turn();
    expect(tries).toEqual([
      ['n1', false],
      ['n2', true],
    ]);
    expect(retried).toEqual([send(1), send(2)]);
  });

  it('logs a retry it could not schedule and goes on with the next send', async () => {
    const errors: unknown[] = [];
    const sent: string[] = [];
    const sends = createImmediateSends({
      concurrency: 1,
      retryLimit: 1,
      log: { error: (entry: unknown) => errors.push(entry) },
      retryLater: async () => {
        throw new Error('database unavailable');
      },
      send: async (id) => {
        if (id === 'n1') throw new Error('channel unavailable');
        sent.push(id);
      },
    });
    sends.run([send(1), send(2)]);
    await turn();
    await turn();
    expect(errors).toHaveLength(1);
    expect(sent).toEqual(['n2']);
  });

  it('stop waits for the sends in progress and drops those still waiting', async () => {
    const gate = held();
    const started: string[] = [];
    const sends = createImmediateSends({
      concurrency: 1,
      retryLimit: 1,
      log: quietLog,
      retryLater: async () => {},
      send: async (id) => {
        started.push(id);
        await gate.promise;
      },
    });
    sends.run([send(1), send(2)]);
    await turn();
    let stopped = false;
    const stopping = sends.stop(5_000).then(() => {
      stopped = true;
    });
    await turn();
    expect(stopped).toBe(false);
    gate.release();
    await stopping;
    await turn();
    expect(started).toEqual(['n1']);
  });

  it('stop gives up on a send that outlasts its bound', async () => {
    const sends = createImmediateSends({
      concurrency: 1,
      retryLimit: 1,
      log: quietLog,
      retryLater: async () => {},
      send: () => new Promise(() => {}),
    });
    sends.run([send(1)]);
    await turn();
    const began = Date.now();
    await sends.stop(50);
    expect(Date.now() - began).toBeGreaterThanOrEqual(45);
  });
});
