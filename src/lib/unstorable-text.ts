/**
 * U+0000, or a UTF-16 surrogate without its partner. PostgreSQL `text` and `jsonb` cannot hold
 * either: a query parameter or value carrying one fails with an error (a 500), not a result.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what this must find.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export function hasUnstorableText(value: string): boolean {
  return UNSTORABLE.test(value);
}

/** `value` with every unstorable character replaced by U+FFFD. */
export function replaceUnstorableText(value: string): string {
  return UNSTORABLE.test(value) ? value.replace(UNSTORABLE_ALL, '\uFFFD') : value;
}

/**
 * The path of the first string (key or value) in `value` holding unstorable text, looking no
 * deeper than `maxDepth` levels; undefined when there is none. Iterative: no stack to exhaust.
 */
export function findUnstorableText(value: unknown, maxDepth = 64): string | undefined {
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop() as { node: unknown; path: string; depth: number };
    if (typeof node === 'string') {
      if (hasUnstorableText(node)) return path;
      continue;
    }
    if (node === null || typeof node !== 'object' || Buffer.isBuffer(node) || depth >= maxDepth) continue;
    for (const [key, child] of Object.entries(node)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (hasUnstorableText(key)) return childPath;
      stack.push({ node: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}
