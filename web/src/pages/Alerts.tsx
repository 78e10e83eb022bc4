import { useState } from 'react';
import { fmtTime, LEVELS, TACTICS, type Alert } from '../api';
import { useApi } from '../hooks';
import { Level } from './Level';

export function Alerts() {
  const [level, setLevel] = useState('');
  const [tactic, setTactic] = useState('');
  const [host, setHost] = useState('');
  const [q, setQ] = useState('');
  const params = new URLSearchParams({ limit: '200' });
  if (level) params.set('level', level);
  if (tactic) params.set('tactic', tactic);
  if (host) params.set('host', host);
  if (q) params.set('q', q);
  const { data, error } = useApi<{ items: Alert[]; total: number }>(`/alerts?${params}`, 3000);
  return (
    <div>
      <h2>Alerts</h2>
      <div className="filters">
        <select value={level} onChange={(e) => setLevel(e.target.value)} data-testid="filter-level">
          <option value="">all levels</option>
          {LEVELS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
        <select value={tactic} onChange={(e) => setTactic(e.target.value)}>
          <option value="">all tactics</option>
          {TACTICS.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <input placeholder="host" value={host} onChange={(e) => setHost(e.target.value)} />
        <input placeholder="search rule, user, command line…" value={q} onChange={(e) => setQ(e.target.value)} data-testid="filter-q" className="grow" />
      </div>
      {error && <div className="error">{error}</div>}
      <div className="muted">{data ? `${data.total} alert(s)` : 'Loading…'}</div>
      <table data-testid="alert-table">
        <thead>
          <tr>
            <th>Last seen</th>
            <th>Level</th>
            <th>Rule</th>
            <th>Host</th>
            <th>User</th>
            <th>Tactics</th>
            <th>Count</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((a) => (
            <tr key={a.id} className="clickable" onClick={() => (window.location.hash = `#/alerts/${a.id}`)} data-testid="alert-row">
              <td>{fmtTime(a.lastSeen)}</td>
              <td>
                <Level level={a.level} />
              </td>
              <td>{a.ruleTitle}</td>
              <td>{a.host ?? '–'}</td>
              <td>{a.user ?? '–'}</td>
              <td>{a.tactics.join(', ')}</td>
              <td>{a.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
