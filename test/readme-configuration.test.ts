import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../src/config.js';

/** The variable names in the first column of the README's "Configuration" table, in order. */
function documentedVariables(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split('\n## Configuration\n')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1] ?? ''));
}

describe('README configuration table', () => {
  it('documents every environment variable the server reads, each exactly once, and nothing it does not read', () => {
    const documented = documentedVariables();
    expect(documented.filter((name, index) => documented.indexOf(name) !== index)).toEqual([]);
    expect([...ENVIRONMENT_VARIABLES].filter((name) => !documented.includes(name))).toEqual([]);
    expect(documented.filter((name) => !ENVIRONMENT_VARIABLES.includes(name))).toEqual([]);
  });
});
