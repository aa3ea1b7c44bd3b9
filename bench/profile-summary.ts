/** Usage: tsx bench/profile-summary.ts <file.cpuprofile> [top] — self time per function and per package. */
import { formatProfile, summarizeProfile } from './lib/profile.js';

const [path, top] = process.argv.slice(2);
if (path === undefined) {
  process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
process.stdout.write(`${formatProfile(summarizeProfile(path, top === undefined ? 30 : Number(top)))}\n`);
