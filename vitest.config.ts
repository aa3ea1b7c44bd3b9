import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Limits against a hang, not speed targets: parallel files share the cores, and CI's machine is
    // shared with other work, so a test that takes 20 s on a quiet machine took 60 s under load
    // (load average 12–16). No test asserts on time through these.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Files are independent (each has its own database, ports and data dirs), and most of a file's
    // time is spent waiting on a browser, a spawned server, a timer or the database rather than
    // computing. vitest's default of one worker per core minus one ran them one after another on
    // a 2-core machine; one more worker than cores keeps the cores busy.
    maxWorkers: availableParallelism() + 1,
  },
});
