import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { Badge, EmptyState, Loading, ProblemMessage, TableWrap, useAction, useResource } from '../components';
import { Link, navigate } from '../router';
import type { Team } from '../teams-api';

/** Teams: admins see and create all; everyone else sees the teams they belong to. */
export function TeamsPage({ me }: { me: Me }) {
  const { data, error } = useResource(() => api<{ teams: Team[] }>('GET', '/api/teams'), '');
  return (
    <section aria-labelledby="teams-title">
      <div className="page-head">
        <h1 id="teams-title">Teams</h1>
        {me.isPlatformAdmin && (
          <Link href="/routing" className="button secondary">
            Routing rules
          </Link>
        )}
      </div>
      {me.isPlatformAdmin && <CreateTeam />}
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.teams.length === 0 ? (
        <EmptyState title={me.isPlatformAdmin ? 'No teams yet' : 'You are not in a team yet'}>
          <p>
            {me.isPlatformAdmin
              ? 'Create a team above, add its members, then send its alerts to it with a routing rule.'
              : 'Ask a platform admin to add you to your team; you will then see its alerts and incidents.'}
          </p>
        </EmptyState>
      ) : (
        <TableWrap label="Teams">
          <table>
            <caption className="visually-hidden">Teams</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">
                  Members
                </th>
                <th scope="col">Your role</th>
              </tr>
            </thead>
            <tbody>
              {data.teams.map((team) => (
                <tr key={team.id}>
                  <td>
                    <Link href={`/teams/${team.id}`}>{team.name}</Link>
                  </td>
                  <td>{team.description ?? <span className="muted">—</span>}</td>
                  <td className="num">{team.memberCount}</td>
                  <td>
                    {team.role === null ? <span className="muted">—</span> : <Badge tone="blue">{team.role}</Badge>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function CreateTeam() {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const team = await create.run(() =>
      api<Team>('POST', '/api/teams', { name, ...(description.trim() ? { description } : {}) }),
    );
    if (team !== undefined) navigate(`/teams/${team.id}`);
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-team-title">
      <h2 id="create-team-title">Create a team</h2>
      <ProblemMessage error={create.error} />
      <div className="form-grid">
        <div>
          <label htmlFor="team-name">Name</label>
          <input id="team-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="team-description">Description (optional)</label>
          <input
            id="team-description"
            maxLength={500}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
      </div>
      <button type="submit" disabled={create.busy}>
        Create team
      </button>
    </form>
  );
}
