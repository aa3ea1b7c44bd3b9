import { defineConfig } from 'vitest/config';

/** `npm run test:failover`: a primary, a synchronous standby and Klaxon between them (root or postgres user). */
export default defineConfig({
  test: {
    include: ['test/failover.spec.ts'],
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
