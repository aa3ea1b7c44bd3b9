import { describe, expect, it } from 'vitest';
import { groupsFromClaims, parseTeamMapping, teamsGrantedBy } from './group-mapping.js';

describe('parseTeamMapping', () => {
  it('reads group=team and group=team:role entries; the group ends at the first "="', () => {
    expect(parseTeamMapping(' sre=SRE:manager, /eng/dba=Data: Stores ,ops=Ops:member,')).toEqual([
      { group: 'sre', team: 'SRE', role: 'manager' },
      { group: '/eng/dba', team: 'Data: Stores', role: 'member' },
      { group: 'ops', team: 'Ops', role: 'member' },
    ]);
  });

  it('refuses entries without a group or a team', () => {
    expect(() => parseTeamMapping('sre')).toThrow(/"sre" is not group=team/);
    expect(() => parseTeamMapping('=SRE')).toThrow(/is not group=team/);
    expect(() => parseTeamMapping('sre=:manager')).toThrow(/names no team/);
  });
});

describe('teamsGrantedBy', () => {
  it('grants each mapped team once, with the highest role any group gives', () => {
    const mapping = parseTeamMapping('sre=SRE,sre-leads=sre:manager,dba=Databases');
    expect(teamsGrantedBy(['sre', 'sre-leads', 'other'], mapping)).toEqual(new Map([['sre', 'manager']]));
    expect(teamsGrantedBy(['dba'], mapping)).toEqual(new Map([['databases', 'member']]));
    expect(teamsGrantedBy([], mapping)).toEqual(new Map());
  });
});

describe('groupsFromClaims', () => {
  it('reads a list, a single string, a dotted path, and a claim whose name has dots', () => {
    expect(groupsFromClaims({ groups: ['a', 2, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsFromClaims({ groups: 'a' }, 'groups')).toEqual(['a']);
    expect(groupsFromClaims({ realm_access: { roles: ['admin'] } }, 'realm_access.roles')).toEqual(['admin']);
    expect(groupsFromClaims({ 'https://x.example/groups': ['g'] }, 'https://x.example/groups')).toEqual(['g']);
  });

  it('finds nothing in absent or odd claims, and never walks the prototype', () => {
    expect(groupsFromClaims({}, 'groups')).toEqual([]);
    expect(groupsFromClaims({ groups: { a: 1 } }, 'groups')).toEqual([]);
    expect(groupsFromClaims({ a: ['x'] }, 'a.constructor.name')).toEqual([]);
    expect(groupsFromClaims({}, '__proto__.toString')).toEqual([]);
  });
});
