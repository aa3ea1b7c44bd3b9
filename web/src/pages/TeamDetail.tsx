import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { Badge, EmptyState, Loading, ProblemMessage, TableWrap, Time, useAction, useResource } from '../components';
import { Link } from '../router';
import { SettingsCard } from '../settings-card';
import { TeamSlackChannel } from '../slack-link';
import { TeamLinks } from '../team-links';
import { type MemberCandidate, TEAM_ROLES, type Team, type TeamMember, type TeamRole } from '../teams-api';
import { TeamUrgencySection } from './TeamUrgency';

/**
 * One team: its members and where its paging is set up, for everyone in it; membership for its
 * managers and platform admins; renaming and deleting for platform admins.
 */
export function TeamDetailPage({ id, me }: { id: string; me: Me }) {
  const team = useResource(() => api<Team>('GET', `/api/teams/${id}`), id);
  const members = useResource(() => api<{ members: TeamMember[] }>('GET', `/api/teams/${id}/members`), id);
  const admin = me.isPlatformAdmin;
  const managesMembers = admin || team.data?.role === 'manager';

  if (team.data === undefined) {
    return (
      <section>
        <p>
          <Link href="/teams">← Teams</Link>
        </p>
        <ProblemMessage error={team.error} />
        {team.error === null && <Loading />}
      </section>
    );
  }
  const reloadAll = () => {
    void team.reload();
    void members.reload();
  };
  return (
    <section aria-labelledby="team-title">
      <p>
        <Link href="/teams">← Teams</Link>
      </p>
      <div className="page-head">
        <h1 id="team-title">{team.data.name}</h1>
        {team.data.role !== null && <Badge tone="blue">you: {team.data.role}</Badge>}
      </div>
      {team.data.description !== null && <p className="description">{team.data.description}</p>}
      {admin && <EditTeam team={team.data} onSaved={reloadAll} />}
      <TeamUrgencySection teamId={id} canManage={admin || team.data.role === 'manager'} />
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {managesMembers && <AddMember teamId={id} onAdded={reloadAll} />}
        <ProblemMessage error={members.error} />
        {members.data === undefined ? (
          members.error === null && <Loading />
        ) : members.data.members.length === 0 ? (
          <EmptyState title="No members yet">
            <p>
              {managesMembers
                ? 'Add people above: members see and work the alerts routed to this team.'
                : "The team's managers add members."}
            </p>
          </EmptyState>
        ) : (
          <TableWrap label="Members">
            <table>
              <caption className="visually-hidden">Members of {team.data.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">Since</th>
                  {managesMembers && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {members.data.members.map((member) => (
                  <MemberRow
                    key={member.userId}
                    teamId={id}
                    member={member}
                    canManage={managesMembers}
                    onChanged={reloadAll}
                  />
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <TeamLinks teamId={id} admin={admin} />
      <TeamSlackChannel teamId={id} canManage={admin || team.data.role === 'manager'} />
    </section>
  );
}

function EditTeam({ team, onSaved }: { team: Team; onSaved: () => void }) {
  return (
    <SettingsCard
      idPrefix="edit-team"
      what="Team"
      path={`/api/teams/${team.id}`}
      listPath="/teams"
      current={team}
      onSaved={onSaved}
      consequences={
        <p>Deleting is refused while routing rules target the team or an integration uses it as default team.</p>
      }
    />
  );
}

function AddMember({ teamId, onAdded }: { teamId: string; onAdded: () => void }) {
  const users = useResource(
    () => api<{ candidates: MemberCandidate[] }>('GET', `/api/teams/${teamId}/member-candidates`),
    teamId,
  );
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<TeamRole>('member');
  const action = useAction();
  const candidates = users.data?.candidates ?? [];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const added = await action.run(() => api('POST', `/api/teams/${teamId}/members`, { userId, role }));
    if (added !== undefined) {
      setUserId('');
      void users.reload();
      onAdded();
    }
  };
  return (
    <form onSubmit={submit} className="filters" aria-label="Add a member">
      <div>
        <label htmlFor="member-user">Person</label>
        <select id="member-user" required value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">{candidates.length === 0 ? 'everyone is a member' : 'choose…'}</option>
          {candidates.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name ? `${user.name} <${user.email}>` : user.email}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="member-role">Role</label>
        <select id="member-role" value={role} onChange={(e) => setRole(e.target.value as TeamRole)}>
          {TEAM_ROLES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </div>
      <div className="filter-submit">
        <button type="submit" disabled={action.busy || userId === ''}>
          Add member
        </button>
      </div>
      <ProblemMessage error={action.error ?? users.error} />
    </form>
  );
}

function MemberRow({
  teamId,
  member,
  canManage,
  onChanged,
}: {
  teamId: string;
  member: TeamMember;
  canManage: boolean;
  onChanged: () => void;
}) {
  const action = useAction();
  const path = `/api/teams/${teamId}/members/${member.userId}`;
  const setRole = async (role: string) => {
    if ((await action.run(() => api('PATCH', path, { role }))) !== undefined) onChanged();
  };
  const remove = async () => {
    const done = await action.run(async () => {
      await api('DELETE', path);
      return true;
    });
    if (done) onChanged();
  };
  const who = member.name ? `${member.name} <${member.email}>` : member.email;
  return (
    <tr>
      <td>{who}</td>
      <td>
        {canManage ? (
          <>
            <label htmlFor={`role-${member.userId}`} className="visually-hidden">
              Role of {who}
            </label>
            <select
              id={`role-${member.userId}`}
              value={member.role}
              disabled={action.busy}
              onChange={(e) => void setRole(e.target.value)}
            >
              {TEAM_ROLES.map((value) => (
                <option key={value}>{value}</option>
              ))}
            </select>
          </>
        ) : (
          member.role
        )}
      </td>
      <td>
        <Time value={member.createdAt} />
      </td>
      {canManage && (
        <td>
          <button type="button" className="secondary small" disabled={action.busy} onClick={remove}>
            Remove<span className="visually-hidden"> {who}</span>
          </button>
          <ProblemMessage error={action.error} />
        </td>
      )}
    </tr>
  );
}
