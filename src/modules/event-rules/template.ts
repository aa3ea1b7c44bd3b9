/**
 * Logic-less templates for event rules: `{{labels.service}}`, `{{payload.path.to.field}}`,
 * `{{title}}`, `{{severity}}`, `{{source}}`, `{{dedupKey}}`. No code, no helpers, no loops: a
 * placeholder is a dotted path looked up in plain data. A missing value (or an object/array) is
 * empty; numbers and booleans print as JSON does. Substituted values are never expanded again, so
 * `{{…}}` inside a value stays literal text. The output is cut at MAX_TEMPLATE_OUTPUT characters.
 */
export const MAX_TEMPLATE_LENGTH = 1000;
export const MAX_TEMPLATE_OUTPUT = 1000;
/** Deeper paths are refused when the rule is saved; a lookup never walks further. */
export const MAX_PATH_SEGMENTS = 16;

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export interface TemplateContext {
  title: string;
  severity: string;
  source: string | null;
  dedupKey: string;
  labels: Record<string, string>;
  /** The sender's parsed JSON body. */
  payload: unknown;
}

/** Why a template cannot be saved, or null when it is fine. */
export function templateProblem(template: string): string | null {
  if (template.length > MAX_TEMPLATE_LENGTH) return `longer than ${MAX_TEMPLATE_LENGTH} characters`;
  for (const match of template.matchAll(/\{\{(.*?)\}\}/g)) {
    const path = (match[1] ?? '').trim();
    if (!PATH.test(path)) return `"{{${match[1]}}}" is not a dotted path`;
    if (path.split('.').length > MAX_PATH_SEGMENTS) return `"{{${path}}}" is deeper than ${MAX_PATH_SEGMENTS}`;
    const root = path.split('.')[0];
    if (!['title', 'severity', 'source', 'dedupKey', 'labels', 'payload'].includes(root ?? '')) {
      return `"{{${path}}}" must start with title, severity, source, dedupKey, labels or payload`;
    }
  }
  return null;
}

function lookup(context: TemplateContext, path: string): string {
  const segments = path.split('.').slice(0, MAX_PATH_SEGMENTS + 1);
  let value: unknown = context;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return '';
    // Own properties only: `constructor`, `__proto__` and friends are not data.
    if (!Object.hasOwn(value, segment)) return '';
    value = (value as Record<string, unknown>)[segment];
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** One left-to-right pass: each placeholder is replaced by its value, which is not looked at again. */
export function renderTemplate(template: string, context: TemplateContext): string {
  let output = '';
  let last = 0;
  for (const match of template.slice(0, MAX_TEMPLATE_LENGTH).matchAll(PLACEHOLDER)) {
    output += template.slice(last, match.index) + lookup(context, match[1] as string);
    last = match.index + match[0].length;
    if (output.length >= MAX_TEMPLATE_OUTPUT) return output.slice(0, MAX_TEMPLATE_OUTPUT);
  }
  output += template.slice(last, MAX_TEMPLATE_LENGTH);
  return output.slice(0, MAX_TEMPLATE_OUTPUT);
}
