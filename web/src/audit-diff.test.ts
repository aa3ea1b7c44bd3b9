import { describe, expect, it } from 'vitest';
import { auditLines } from './audit-diff';

const alice = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const names = { [alice]: 'Alice <alice@example.com>' };

describe('auditLines', () => {
  it('shows each changed field as before → after', () => {
    const lines = auditLines('team.updated', { name: 'Ops', changes: { name: { from: 'Storage', to: 'Ops' } } }, names);
    expect(lines).toEqual([
      { label: 'name', before: 'Storage', after: 'Ops' },
      { label: 'name', after: 'Ops' },
    ]);
  });

  it('names a role change and the member it is about, by name rather than id', () => {
    const lines = auditLines('team.member_role_changed', { memberId: alice, from: 'member', to: 'manager' }, names);
    expect(lines).toEqual([
      { label: 'role', before: 'member', after: 'manager' },
      { label: 'member', after: 'Alice <alice@example.com>' },
    ]);
  });

  it("diffs a silence's previous fields against the new ones, listing only what changed", () => {
    const lines = auditLines(
      'silence.updated',
      { comment: 'longer', endsAt: '2026-01-02', previous: { comment: 'short', endsAt: '2026-01-02' } },
      names,
    );
    expect(lines).toEqual([{ label: 'comment', before: 'short', after: 'longer' }]);
  });

  it('keeps an id nobody can name (a deleted resource) as the id, and empty values as a dash', () => {
    const unknown = '0190a1b2-c3d4-7e5f-8a9b-ffffffffffff';
    expect(auditLines('x.y', { teamId: unknown, note: '' }, names)).toEqual([
      { label: 'team', after: unknown },
      { label: 'note', after: '—' },
    ]);
  });
});
