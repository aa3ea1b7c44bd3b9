import { type FormEvent, useState } from 'react';
import { api, type Me, type User } from '../api';
import { Badge, EmptyState, Loading, ProblemMessage, TableWrap, Time, useAction, useResource } from '../components';
import { Link, navigate } from '../router';
import { TEAM_ROLES, type Team, type TeamMembership, type TeamRole } from '../teams-api';
import { TeamUrgencySection } from './TeamUrgency';

/** One team: its members for everyone in it; renaming, deleting and membership for platform admins. */
export function TeamDetailPage({ id, me }: { id: string; me: Me }) {
  const team = useResource(() => api<Team>('GET', `/api/teams/${id}`), id);
  const members = useResource(() => api<{ members: TeamMembership[] }>('GET', `/api/teams/${id}/members`), id);
  const admin = me.isPlatformAdmin;

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
        {admin && <AddMember teamId={id} members={members.data?.members ?? []} onAdded={reloadAll} />}
        <ProblemMessage error={members.error} />
        {members.data === undefined ? (
          members.error === null && <Loading />
        ) : members.data.members.length === 0 ? (
          <EmptyState title="No members yet">
            <p>
              {admin
                ? 'Add people above: members see and work the alerts routed to this team.'
                : 'A platform admin adds members.'}
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
                  {admin && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {members.data.members.map((member) => (
                  <MemberRow key={member.userId} teamId={id} member={member} admin={admin} onChanged={reloadAll} />
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </section>
  );
}

function EditTeam({ team, onSaved }: { team: Team; onSaved: () => void }) {
  const [name, setName] = useState(team.name);
  const [description, setDescription] = useState(team.description ?? '');
  const [confirmDelete, setConfirmDelete] = useState('');
  const [showDelete, setShowDelete] = useState(false);
  const action = useAction();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await action.run(() =>
      api<Team>('PATCH', `/api/teams/${team.id}`, { name, description: description.trim() ? description : null }),
    );
    if (saved !== undefined) onSaved();
  };
  const remove = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(async () => {
      await api('DELETE', `/api/teams/${team.id}`);
      return true;
    });
    if (done) navigate('/teams');
  };
  return (
    <div className="card">
      <form onSubmit={save} aria-labelledby="edit-team-title">
        <h2 id="edit-team-title">Settings</h2>
        <ProblemMessage error={action.error} />
        <div className="form-grid">
          <div>
            <label htmlFor="edit-team-name">Name</label>
            <input
              id="edit-team-name"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor="edit-team-description">Description</label>
            <input
              id="edit-team-description"
              maxLength={500}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
        </div>
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            Save
          </button>
          {!showDelete && (
            <button type="button" className="danger" onClick={() => setShowDelete(true)}>
              Delete team…
            </button>
          )}
        </div>
      </form>
      {showDelete && (
        <form onSubmit={remove} className="warning">
          <p>
            Deleting is refused while routing rules target the team or an integration uses it as default team. Type{' '}
            <strong>{team.name}</strong> to confirm.
          </p>
          <label htmlFor="confirm-team-delete">Team name</label>
          <input id="confirm-team-delete" value={confirmDelete} onChange={(e) => setConfirmDelete(e.target.value)} />
          <div className="actions">
            <button type="submit" className="danger" disabled={confirmDelete !== team.name || action.busy}>
              Delete permanently
            </button>
            <button type="button" className="secondary" onClick={() => setShowDelete(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function AddMember({ teamId, members, onAdded }: { teamId: string; members: TeamMembership[]; onAdded: () => void }) {
  const users = useResource(() => api<{ users: User[] }>('GET', '/api/users'), '');
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<TeamRole>('member');
  const action = useAction();
  const inTeam = new Set(members.map((member) => member.userId));
  const candidates = (users.data?.users ?? []).filter((user) => !inTeam.has(user.id));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const added = await action.run(() => api('POST', `/api/teams/${teamId}/members`, { userId, role }));
    if (added !== undefined) {
      setUserId('');
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
  admin,
  onChanged,
}: {
  teamId: string;
  member: TeamMembership;
  admin: boolean;
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
        {admin ? (
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
      {admin && (
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
