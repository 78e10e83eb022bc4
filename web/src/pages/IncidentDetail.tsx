import { useState } from 'react';
import { api, fmtTime, TACTICS, type Alert, type Incident } from '../api';
import { useApi } from '../hooks';
import { Level, Status } from './Level';
import { Panel } from './Overview';

const STATUSES = ['new', 'triage', 'contained', 'closed'] as const;

export function IncidentDetail({ id, role }: { id: string; role: string }) {
  const { data, error, reload } = useApi<{ incident: Incident; alerts: Alert[] }>(`/incidents/${encodeURIComponent(id)}`, 5000);
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState<string>();
  const [msg, setMsg] = useState<string>();
  if (error) return <div className="error">{error}</div>;
  if (!data) return <div className="muted">Loading…</div>;
  const inc = data.incident;
  const canEdit = role !== 'viewer';
  const patch = async (body: Record<string, unknown>) => {
    try {
      await api(`/incidents/${inc.id}`, { method: 'PATCH', body });
      setMsg('Saved');
      reload();
    } catch (e) {
      setMsg((e as Error).message);
    }
  };
  const seen = new Set(inc.tactics);
  return (
    <div>
      <a href="#/incidents">← Incidents</a>
      <h2 data-testid="incident-title">
        <Level level={inc.severity} /> {inc.title}
      </h2>
      <div className="row">
        <span>
          Status: <Status status={inc.status} />
        </span>
        <span data-testid="incident-status" className="hidden">
          {inc.status}
        </span>
        <span>{inc.alertCount} alert(s)</span>
        <span>
          {fmtTime(inc.firstSeen)} → {fmtTime(inc.lastSeen)}
        </span>
        <span>grouped by: {inc.groupedBy.join(', ') || 'first alert'}</span>
      </div>
      {canEdit && (
        <Panel title="Workflow">
          <div className="row">
            {STATUSES.map((s) => (
              <button key={s} disabled={s === inc.status} onClick={() => void patch({ status: s })} data-testid={`set-status-${s}`}>
                {s}
              </button>
            ))}
            <input placeholder="assignee" value={assignee ?? inc.assignee ?? ''} onChange={(e) => setAssignee(e.target.value)} />
            <button onClick={() => void patch({ assignee: assignee || null })}>Assign</button>
          </div>
          <div className="row">
            <input className="grow" placeholder="add a note (what you did, what you found)" value={note} onChange={(e) => setNote(e.target.value)} data-testid="note-input" />
            <button
              disabled={!note.trim()}
              onClick={() => {
                void patch({ note });
                setNote('');
              }}
              data-testid="note-add"
            >
              Add note
            </button>
          </div>
          {msg && <div className="muted">{msg}</div>}
        </Panel>
      )}
      <Panel title="ATT&CK tactics (kill chain)">
        <div className="chain">
          {TACTICS.map((t) => (
            <span key={t} className={seen.has(t) ? 'hit' : ''}>
              {t}
            </span>
          ))}
        </div>
      </Panel>
      <div className="grid2">
        <Panel title="Timeline">
          <ol className="timeline" data-testid="timeline">
            {inc.timeline.map((t) => (
              <li key={t.alertId}>
                <span className="mono">{fmtTime(t.time)}</span> <Level level={t.level} /> <a href={`#/alerts/${t.alertId}`}>{t.ruleTitle}</a>
                <div className="muted">
                  {[t.tactic, t.technique, t.host, t.user].filter(Boolean).join(' · ')}
                </div>
              </li>
            ))}
          </ol>
        </Panel>
        <Panel title="Scope, notes and history">
          <dl>
            <dt>Hosts</dt>
            <dd>{inc.hosts.join(', ') || '–'}</dd>
            <dt>Users</dt>
            <dd>{inc.users.join(', ') || '–'}</dd>
            <dt>Assignee</dt>
            <dd>{inc.assignee ?? '–'}</dd>
          </dl>
          <h4>Notes</h4>
          <ul data-testid="notes">
            {inc.notes.map((n, i) => (
              <li key={i}>
                <span className="muted">
                  {fmtTime(n.time)} {n.author}:
                </span>{' '}
                {n.text}
              </li>
            ))}
          </ul>
          <h4>History</h4>
          <ul>
            {inc.history.map((h, i) => (
              <li key={i} className="muted">
                {fmtTime(h.time)} {h.actor}: {h.change}
              </li>
            ))}
          </ul>
        </Panel>
      </div>
    </div>
  );
}
