/**
 * Flags for the Node processes a test run starts: vitest's workers, and the servers and CLIs the
 * tests spawn. `--liftoff-only` compiles PGlite's WebAssembly with V8's baseline compiler alone. A
 * test process lives seconds to a minute, and there the optimizing tier's background recompiles of
 * PostgreSQL's hot functions cost more CPU than they saved: a server's start on an existing data
 * dir took 2.3 → 1.6 s of CPU, the in-process test files 209–212 → 200 s (2026-12-07). Servers that
 * users run keep both tiers: for a long-lived process the optimized code pays for itself.
 */
export const TEST_NODE_FLAGS = ['--liftoff-only'];
