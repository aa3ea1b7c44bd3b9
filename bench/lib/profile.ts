import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  selfPct: number;
}

/** Shortens a script URL to the package (node_modules/<pkg>) or the project-relative path. */
function place(url: string): string {
  if (url === '') return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return `${pkg}`;
  }
  if (url.startsWith('node:')) return url;
  const own = ownDir(url);
  return own >= 0 ? url.slice(own + 1) : url.replace(/^file:\/\//, '');
}

/** Where Klaxon's own code starts in a script URL: `/src/` (tsx) or `/dist/` (the compiled build). */
function ownDir(url: string): number {
  if (url.includes('node_modules')) return -1;
  const src = url.indexOf('/src/');
  return src >= 0 ? src : url.indexOf('/dist/');
}

/** Self time per function and per package/file, from a V8 .cpuprofile (node --cpu-prof). */
export function summarizeProfile(
  path: string,
  top = 25,
): {
  functions: ProfileEntry[];
  places: ProfileEntry[];
  projectInclusive: ProfileEntry[];
  totalMs: number;
  idleMs: number;
} {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const totalUs = profile.endTime - profile.startTime;
  let idleUs = 0;
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const places = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = place(url);
    const name = functionName || '(anonymous)';
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    const key = `${name}@${url}:${lineNumber}`;
    const entry = functions.get(key) ?? { name, where: url === '' ? where : `${where}:${lineNumber + 1}`, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    places.set(where, (places.get(where) ?? 0) + us);
  }
  const projectInclusive = inclusiveProjectTime(profile, byId, selfUs);
  const toEntry = (name: string, where: string, us: number): ProfileEntry => ({
    name,
    where,
    selfMs: us / 1000,
    selfPct: (100 * us) / (totalUs - idleUs),
  });
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => toEntry(e.name, e.where, e.us)),
    places: [...places.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, us]) => toEntry(where, '', us)),
    projectInclusive: [...projectInclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => toEntry(e.name, e.where, e.us)),
  };
}

/**
 * Time spent in each project function (src/) including everything it called — what self time
 * cannot show: which of Klaxon's own steps the driver and query-builder time belongs to.
 * A function counts once per sample, however often it recurs on the stack.
 */
function inclusiveProjectTime(
  profile: CpuProfile,
  byId: Map<number, CpuProfileNode>,
  selfUs: Map<number, number>,
): Map<string, { name: string; where: string; us: number }> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (frame === undefined || ownDir(frame.url) < 0) continue;
      const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = totals.get(key) ?? {
        name: frame.functionName || '(anonymous)',
        where: `${place(frame.url)}:${frame.lineNumber + 1}`,
        us: 0,
      };
      entry.us += us;
      totals.set(key, entry);
    }
  }
  return totals;
}

export function formatProfile(summary: ReturnType<typeof summarizeProfile>): string {
  const busy = summary.totalMs - summary.idleMs;
  const lines = [
    `CPU profile: ${(summary.totalMs / 1000).toFixed(1)} s wall, main thread busy ${(busy / 1000).toFixed(1)} s (${((100 * busy) / summary.totalMs).toFixed(0)}%), idle ${(summary.idleMs / 1000).toFixed(1)} s; percentages below are of busy time`,
    '',
    'top self time by function:',
  ];
  for (const e of summary.functions) {
    lines.push(`  ${e.selfPct.toFixed(1).padStart(5)}%  ${e.selfMs.toFixed(0).padStart(7)} ms  ${e.name}  ${e.where}`);
  }
  lines.push('', 'self time by package / file:');
  for (const e of summary.places)
    lines.push(`  ${e.selfPct.toFixed(1).padStart(5)}%  ${e.selfMs.toFixed(0).padStart(7)} ms  ${e.name}`);
  lines.push('', "inclusive time by Klaxon's own functions (src/ or dist/, callees included):");
  for (const e of summary.projectInclusive)
    lines.push(`  ${e.selfPct.toFixed(1).padStart(5)}%  ${e.selfMs.toFixed(0).padStart(7)} ms  ${e.name}  ${e.where}`);
  return lines.join('\n');
}
