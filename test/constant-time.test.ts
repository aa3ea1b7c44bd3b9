import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Secrets, signatures, tokens, keys and hashes are compared with constantTimeEqual (or looked
 * up by hash in the database), never with ===/!==/==/!=, whose early exit leaks how much of a
 * guess was right. This scans src/ for such comparisons and lists the offenders.
 */
const ROOT = join(import.meta.dirname, '..');
const SENSITIVE = /(secret|signature|token|apikey|api_key|key|hash|digest|password|passwd|mac)$/i;
/** Operands that are plainly not secret material: literals, typeof, lengths, counts, enums. */
const HARMLESS_OPERAND =
  /^(?:['"`].*['"`]|-?\d[\d_.]*|null|undefined|true|false|typeof\s.+|.*\.(?:length|size|code|status|kind|scheme|type|name)|\[\])$/;

/**
 * Comparisons that look sensitive by name but compare no secret material. Each says why.
 * Format: "path:trimmed source line".
 */
const ALLOWED = new Map<string, string>([
  // Header *names* (not values) matched case-insensitively while looking a header up.
  [
    'src/modules/webhooks/delivery-headers.ts:if (name === signature || CREDENTIAL_HEADERS.has(name) || CREDENTIAL_NAME.test(name)) continue;',
    '`signature` is the name of the signature header, being dropped from the log; no secret is compared',
  ],
  [
    'src/modules/webhooks/storable-json.ts:if (cleanKey !== key && !Array.isArray(record)) {',
    '`key` is a JSON object key of the payload, not a credential',
  ],
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The identifier an operand ends with: `a.b.secretHash` → `secretHash`, `x[0]` → `x`. */
function lastIdentifier(operand: string): string {
  const cleaned = operand
    .replace(/\?\./g, '.')
    .replace(/\(\)$/, '')
    .replace(/\[[^\]]*\]$/, '');
  return cleaned.split('.').pop() ?? '';
}

function findUnsafeComparisons(files: string[]): string[] {
  const offenders: string[] = [];
  const operand = String.raw`[\w$.?\[\]'"\x60-]+`;
  const comparison = new RegExp(String.raw`(${operand})\s*(===|!==|==|!=)\s*(${operand})`, 'g');
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const [index, line] of lines.entries()) {
      const code = line.replace(/\/\/.*$/, '').trim();
      if (code.startsWith('*') || code.startsWith('/*')) continue;
      for (const match of code.matchAll(comparison)) {
        const [, left = '', , right = ''] = match;
        const sides = [left, right];
        if (sides.some((side) => HARMLESS_OPERAND.test(side))) continue;
        if (!sides.some((side) => SENSITIVE.test(lastIdentifier(side)))) continue;
        const key = `${relative(ROOT, file)}:${code}`;
        if (ALLOWED.has(key)) continue;
        offenders.push(`${relative(ROOT, file)}:${index + 1}: ${code}`);
      }
    }
  }
  return offenders;
}

describe('timing-safe comparisons', () => {
  it('no secret, signature, token, key or hash is compared with ===, !==, == or != in src/', () => {
    const files = sourceFiles(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(20);
    expect(findUnsafeComparisons(files)).toEqual([]);
  });

  it('the scan does catch such comparisons', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'klaxon-ct-'));
    const file = join(dir, 'bad.ts');
    writeFileSync(
      file,
      [
        'if (provided === integration.webhookSecret) ok();',
        'const same = expectedSignature !== signature;',
        'if (row.keyHash == hashApiKey(key)) return row;',
        "if (scheme === 'hmac') fine();",
        'if (token.length !== 64) fine();',
      ].join('\n'),
    );
    expect(findUnsafeComparisons([file])).toHaveLength(3);
  });
});
