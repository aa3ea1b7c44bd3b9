/**
 * Milliseconds of CPU this process has used. Cost checks measure it rather than wall time: on a
 * loaded machine (other test files, other processes) wall time stretches with the wait for a
 * core, CPU time does not, so "this is cheap" holds or fails the same on any machine.
 */
export function cpuTimeMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
