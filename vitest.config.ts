import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
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
/**
 * vitest runs a run's projects one after the other, by name: the short in-process files ran first
 * and the long own-process ones (browsers, servers, CLIs: 15–70 s each) last, where the run waited
 * on the last few of them. Starting the long files first and filling in with the short ones ends
 * the run with short files. Within each project vitest's own order stands (the slowest first when
 * it has timings from an earlier run, else the largest files first).
 */
class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const ownProcess = (file: TestSpecification) => file.project.name === 'own-process';
    return [...sorted.filter(ownProcess), ...sorted.filter((file) => !ownProcess(file))];
  }
}

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
    sequence: { sequencer: LongFilesFirst },
    // Files are independent (each has its own database, ports and data dirs), and an own-process
    // file spends much of its time waiting on a browser, a spawned server or a timer: with one
    // worker more than cores, the own-process files used one core of two. Four more than cores
    // overlap those waits. Clean-clone runs on the quiet 2-core machine (2026-12-07), PGlite pass:
    // 3 workers 333 s, 4 workers 317 s, 4 with the long files first 300 s, 6 so 280 s; on the
    // PostgreSQL pass (the machine's cluster, fsync on) 3 workers 287 s, 6 with long files first 248 s.
    maxWorkers: availableParallelism() + 4,
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
