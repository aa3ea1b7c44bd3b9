/**
 * Writes the parts of docs/architecture.md that the code already states — the route modules in
 * the order `buildApp()` registers them, and the tables of each schema file — between their
 * markers, so the doc cannot drift from the code: test/architecture-doc.test.ts regenerates and
 * compares. Run `npm run gen:architecture` after adding a route module or a table.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
export const ARCHITECTURE_DOC = join(ROOT, 'docs/architecture.md');

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** String constants of the modules (`const LOGIN_URL = '/api/auth/sso/login'`), for routes declared through one. */
function stringConstants(files: string[]): Map<string, string> {
  const constants = new Map<string, string>();
  for (const file of files) {
    const text = read(file);
    for (const match of text.matchAll(/\bconst ([A-Z][A-Z0-9_]*) = ['`]([^'`$]*)['`]/g)) {
      constants.set(match[1] ?? '', match[2] ?? '');
    }
    // Objects of paths (`SMS_GATEWAY_PATHS = { inbound: '/api/…' }`) are read as `SMS_GATEWAY_PATHS.inbound`.
    for (const object of text.matchAll(/\bconst ([A-Z][A-Z0-9_]*) = \{([^}]*)\}/g)) {
      for (const member of (object[2] ?? '').matchAll(/(\w+):\s*'([^']*)'/g)) {
        constants.set(`${object[1]}.${member[1]}`, member[2] ?? '');
      }
    }
  }
  return constants;
}

/** The URL a route declaration's first argument names: a literal, a template (`${x}` read as `:x`) or a constant. */
function urlOf(argument: string, constants: Map<string, string>): string | undefined {
  const literal = /^'([^']*)'$/.exec(argument);
  if (literal) return literal[1];
  const template = /^`([^`]*)`$/.exec(argument);
  if (template) {
    return (template[1] ?? '').replace(/\$\{([^}]*)\}/g, (_, expression: string) => {
      const constant = constants.get(expression.trim());
      return constant ?? `:${expression.trim()}`;
    });
  }
  const object = /url:\s*('[^']*'|`[^`]*`|[A-Z][A-Z0-9_.]*)/.exec(argument);
  if (object?.[1] !== undefined) return urlOf(object[1], constants);
  return constants.get(argument.trim());
}

/** The text of one exported plugin: from its declaration to the next top-level export. */
function pluginBody(file: string, name: string): string {
  const text = read(file);
  const start = text.search(new RegExp(`export (?:async )?(?:function|const) ${name}\\b`));
  if (start === -1) return text;
  const next = text.indexOf('\nexport ', start + 1);
  return text.slice(start, next === -1 ? undefined : next);
}

/** Path prefixes a plugin serves: `/api/<resource>` (`/v2/<resource>`), or the first segment. */
function servedPrefixes(body: string, constants: Map<string, string>): string[] {
  const prefixes = new Set<string>();
  const declarations = /\bapp\.(?:get|post|put|patch|delete|route)(?:<[^>]*>)?\(\s*(\{[^}]*\}|[^,)]+)/g;
  for (const match of body.matchAll(declarations)) {
    const url = urlOf((match[1] ?? '').trim(), constants);
    if (url === undefined) continue;
    const segments = url.split('/').filter((segment) => segment !== '');
    const depth = segments[0] === 'api' || segments[0] === 'v2' ? 2 : 1;
    prefixes.add(`/${segments.slice(0, depth).join('/')}`);
  }
  return [...prefixes].sort();
}

/** The route modules in registration order, from `src/app.ts`. */
export function routeModulesSection(): string {
  const app = read('src/app.ts');
  const fileOf = new Map<string, string>();
  for (const match of app.matchAll(/import \{([^}]*)\} from '\.\/(modules\/[^']+\.routes)\.js';/g)) {
    for (const name of (match[1] ?? '').split(',')) fileOf.set(name.trim(), `src/${match[2]}.ts`);
  }
  const registered = [...app.matchAll(/app\.register\((\w+)\b/g)]
    .map((match) => match[1] ?? '')
    .filter((name) => fileOf.has(name));
  const constants = stringConstants(sourceFiles('src/modules'));
  const rows = registered.map((name, index) => {
    const file = fileOf.get(name) ?? '';
    const prefixes = servedPrefixes(pluginBody(file, name), constants).map((prefix) => `\`${prefix}\``);
    const serves = prefixes.length === 0 ? '' : `: ${prefixes.join(', ')}`;
    return `${index + 1}. \`${name}\` (\`${file}\`)${serves}`;
  });
  return rows.join('\n');
}

/** Every table (and sequence) of each file under `src/db/schema/`. */
export function schemaTablesSection(): string {
  const rows = readdirSync(join(ROOT, 'src/db/schema'))
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .sort()
    .map((file) => {
      const text = read(`src/db/schema/${file}`);
      const tables = [...text.matchAll(/pgTable\(\s*'([^']+)'/g)].map((match) => `\`${match[1]}\``);
      const sequences = [...text.matchAll(/pgSequence\(\s*'([^']+)'/g)].map((match) => `\`${match[1]}\` (sequence)`);
      return `- \`${file}\`: ${[...tables, ...sequences].join(', ')}`;
    });
  return rows.join('\n');
}

const SECTIONS: Record<string, () => string> = {
  'route-modules': routeModulesSection,
  'schema-tables': schemaTablesSection,
};

/** The doc with each generated section replaced by what the code says now. */
export function regenerate(doc: string): string {
  let result = doc;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const start = `<!-- generated:${name} (npm run gen:architecture) -->`;
    const end = `<!-- end generated:${name} -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from === -1 || to < from) throw new Error(`docs/architecture.md has no ${start} … ${end} section`);
    result = `${result.slice(0, from + start.length)}\n${render()}\n${result.slice(to)}`;
  }
  return result;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const doc = readFileSync(ARCHITECTURE_DOC, 'utf8');
  const updated = regenerate(doc);
  writeFileSync(ARCHITECTURE_DOC, updated);
  console.log(updated === doc ? 'docs/architecture.md is up to date' : 'docs/architecture.md regenerated');
}
