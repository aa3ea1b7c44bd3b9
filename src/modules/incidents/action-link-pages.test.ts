import { describe, expect, it } from 'vitest';
import { confirmationPage, errorPage, resultPage } from './action-link-pages.js';

describe('action link pages', () => {
  const hostile = `<script>alert(1)</script><a href="https://evil.example">x</a> & "quotes" 'too'`;

  it.each([
    ['confirmation', confirmationPage({ action: 'acknowledge', title: hostile, status: 'triggered' })],
    ['result', resultPage({ action: 'resolve', title: hostile, status: 'resolved', changed: true })],
    ['error', errorPage(hostile)],
  ])('the %s page escapes the incident title', (_, html) => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<a href');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&amp; &quot;quotes&quot; &#39;too&#39;');
  });

  it('the confirmation page is a form that posts back to its own URL, with no script', () => {
    const html = confirmationPage({ action: 'resolve', title: 'Disk full', status: 'acknowledged' });
    expect(html).toContain('<form method="post"><button type="submit"');
    expect(html).toContain('Resolve this incident?');
    expect(html).not.toMatch(/<script|action=/);
  });
});
