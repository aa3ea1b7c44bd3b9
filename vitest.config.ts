import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { TEST_NODE_FLAGS } from './test/helpers/node-flags.js';

/**
 * Files that must each run in a process of their own: the console suites (a browser each, and
 * helpers whose module state is one file's seeded console) and the files that start servers, CLIs
 * or other processes, hold a data dir or change process-wide settings (umask, signals).
 */
const OWN_PROCESS = [
  'test/e2e/**/*.test.ts',
  'src/db/data-dir-lock.test.ts',
  'test/abusive-clients.test.ts',
  'test/backup.test.ts',
  'test/built-server.test.ts',
  'test/cli.test.ts',
  'test/config-as-code.test.ts',
  'test/crash-durability.test.ts',
  'test/data-dir-permissions.test.ts',
  'test/deploy-manifests.test.ts',
  'test/escalation-crash.test.ts',
  'test/first-alert-script.test.ts',
  'test/first-run-process.test.ts',
  'test/live-updates.test.ts',
  'test/multi-process.test.ts',
  'test/pgbouncer.test.ts',
  'test/postgres-outage.test.ts',
  'test/silences.test.ts',
];
const ALL = ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    // Limits against a hang, not speed targets: parallel files share the cores, and CI's machine is
    // shared with other work, so a test that takes 20 s on a quiet machine took 60 s under load
    // (load average 12–16). No test asserts on time through these.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    execArgv: TEST_NODE_FLAGS,
    // Files are independent (each has its own database, ports and data dirs), and most of a file's
    // time is spent waiting on a browser, a spawned server, a timer or the database rather than
    // computing. vitest's default of one worker per core minus one ran them one after another on
    // a 2-core machine; one more worker than cores keeps the cores busy.
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'in-process',
          include: ALL,
          exclude: OWN_PROCESS,
          // These files run the app in the test process on a database of their own and leave
          // nothing process-wide behind, so a worker runs one after another without starting
          // afresh: each fresh process imported the whole app again (about a second of CPU a file,
          // the suite's largest cost after the tests themselves).
          isolate: false,
        },
      },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS } },
    ],
  },
});
