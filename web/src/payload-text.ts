/**
 * Indents a JSON text for reading without parsing it into objects, so keys stay in the order the
 * sender wrote them (a JS object would move integer-like keys first, and jsonb sorts them all).
 * Text that is not JSON (a rejected body), already spread over several lines, or cut short is
 * returned as it is.
 */
export function formatJsonText(text: string, indent = '  '): string {
  if (text.includes('\n') || !isJson(text)) return text;
  let out = '';
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++index] ?? '';
      else if (char === '"') inString = false;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') continue;
    const next = nextSignificant(text, index + 1);
    if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '{' || char === '[') {
      // An empty object or array stays on one line.
      if (next === (char === '{' ? '}' : ']')) {
        out += char;
      } else {
        depth++;
        out += `${char}\n${indent.repeat(depth)}`;
      }
    } else if (char === '}' || char === ']') {
      const previous = out.at(-1);
      if (previous === '{' || previous === '[') {
        out += char;
      } else {
        depth--;
        out += `\n${indent.repeat(depth)}${char}`;
      }
    } else if (char === ',') {
      out += `,\n${indent.repeat(depth)}`;
    } else if (char === ':') {
      out += ': ';
    } else {
      out += char;
    }
  }
  return out;
}

function nextSignificant(text: string, from: number): string | undefined {
  for (let index = from; index < text.length; index++) {
    const char = text[index] as string;
    if (char !== ' ' && char !== '\t' && char !== '\r' && char !== '\n') return char;
  }
  return undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A body size for people: bytes, KiB or MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
