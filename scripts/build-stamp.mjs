// The "is this build older than its sources?" check shared by build-server.mjs and build-web.mjs.
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of a file or directory below `path` (a deletion dates its directory). */
function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** True when `stamp` exists and no input changed after it was dated. */
export function isUpToDate(stamp, inputs) {
  if (!existsSync(stamp)) return false;
  const builtAt = statSync(stamp).mtimeMs;
  return inputs.every((input) => newestChange(input) <= builtAt);
}

/** Written after a complete build, dated when that build started: a build that failed leaves none. */
export function writeStamp(stamp, startedAt) {
  writeFileSync(stamp, '');
  utimesSync(stamp, startedAt, startedAt);
}
