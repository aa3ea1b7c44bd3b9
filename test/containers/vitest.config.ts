import { defineConfig } from 'vitest/config';

/** `npm run test:containers`: Podman builds and runs the image and compose.yaml (minutes, root only). */
export default defineConfig({
  test: {
    include: ['test/containers/**/*.spec.ts'],
    testTimeout: 600_000,
    hookTimeout: 1_200_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
