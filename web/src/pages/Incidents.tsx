import { useState } from 'react';
import { fmtTime, type Incident } from '../api';
import { useApi } from '../hooks';
import { Level, Status } from './Level';

export function Incidents() {
  const [status, setStatus] = useState('new,triage,contained');
  const [q, setQ] = useState('');
  const params = new URLSearchParams({ limit: '200' });
  if (status) params.set('status', status);
  if (q) params.set('q', q);
  const { data, error } = useApi<{ items: Incident[]; total: number }>(`/incidents?${params}`, 3000);
  return (
    <div>
      <h2>Incidents</h2>
      <div className="filters">
        <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="filter-status">
          <option value="new,triage,contained">open</option>
          <option value="new">new</option>
          <option value="triage">triage</option>
          <option value="contained">contained</option>
          <option value="closed">closed</option>
          <option value="">all</option>
        </select>
        <input placeholder="search title, host, user…" value={q} onChange={(e) => setQ(e.target.value)} className="grow" />
      </div>
      {error && <div className="error">{error}</div>}
      <table data-testid="incident-table">
        <thead>
          <tr>
            <th>Last activity</th>
            <th>Severity</th>
            <th>Status</th>
            <th>Incident</th>
            <th>Hosts</th>
            <th>Tactics</th>
            <th>Alerts</th>
            <th>Assignee</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((i) => (
            <tr key={i.id} className="clickable" onClick={() => (window.location.hash = `#/incidents/${i.id}`)} data-testid="incident-row">
              <td>{fmtTime(i.lastSeen)}</td>
              <td>
                <Level level={i.severity} />
              </td>
              <td>
                <Status status={i.status} />
              </td>
              <td>{i.title}</td>
              <td>{i.hosts.join(', ')}</td>
              <td>{i.tactics.join(' → ')}</td>
              <td>{i.alertCount}</td>
              <td>{i.assignee ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
