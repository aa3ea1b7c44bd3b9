import { describe, expect, it } from 'vitest';
import { MAX_TEMPLATE_OUTPUT, renderTemplate, type TemplateContext, templateProblem } from './template.js';

const context = (payload: unknown, labels: Record<string, string> = {}): TemplateContext => ({
  title: 'Disk full',
  severity: 'warning',
  source: 'prometheus',
  dedupKey: 'disk-1',
  labels,
  payload,
});

describe('logic-less templates', () => {
  it('fills labels, payload paths and alert fields; missing values are empty', () => {
    const rendered = renderTemplate(
      '{{labels.service}}/{{payload.host.name}}:{{payload.port}} {{title}} [{{nope.x}}]',
      {
        ...context({ host: { name: 'db-1' }, port: 5432 }, { service: 'billing' }),
      },
    );
    expect(rendered).toBe('billing/db-1:5432 Disk full []');
    expect(renderTemplate('{{payload.missing.deeper}}|{{labels.absent}}', context({}))).toBe('|');
  });

  it('never re-expands template syntax found inside values', () => {
    const hostile = context({ a: '{{payload.secret}}', secret: 'leaked' }, { service: '{{labels.other}}' });
    expect(renderTemplate('{{payload.a}} {{labels.service}}', hostile)).toBe('{{payload.secret}} {{labels.other}}');
  });

  it('reads own data only: no prototype walking, objects and arrays print as empty', () => {
    const payload = Object.assign(Object.create({ inherited: 'from the prototype' }), {
      list: [1, 2],
      obj: { k: 'v' },
    });
    expect(renderTemplate('{{payload.constructor}}{{payload.inherited}}{{payload.toString}}', context(payload))).toBe(
      '',
    );
    expect(renderTemplate('[{{payload.list}}][{{payload.obj}}][{{payload.list.0}}]', context(payload))).toBe('[][][1]');
  });

  it('bounds the output however large the values are', () => {
    const huge = 'x'.repeat(5_000_000);
    const rendered = renderTemplate('{{payload.huge}}{{payload.huge}}{{payload.huge}}', context({ huge }));
    expect(rendered).toHaveLength(MAX_TEMPLATE_OUTPUT);
  });

  it('stops at the path depth limit on deeply nested payloads', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const path = Array.from({ length: 20 }, () => 'a').join('.');
    expect(renderTemplate(`{{payload.${path}}}`, context(deep))).toBe('');
    expect(templateProblem(`{{payload.${path}}}`)).toMatch(/deeper/);
  });

  it('refuses what is not a dotted path from a known root when saved', () => {
    expect(templateProblem('{{labels.service}}-{{payload.a.b}}')).toBeNull();
    expect(templateProblem('{{#each labels}}x{{/each}}')).toMatch(/dotted path/);
    expect(templateProblem('{{process.env.KLAXON_MASTER_KEY}}')).toMatch(/must start with/);
    expect(templateProblem('{{ labels.a | upper }}')).toMatch(/dotted path/);
    expect(templateProblem('x'.repeat(1001))).toMatch(/longer/);
  });
});
