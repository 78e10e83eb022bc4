import { useState } from 'react';
import { api } from '../api';
import { useApi } from '../hooks';
import { Level } from './Level';

interface RuleList {
  loaded: { id: string; title: string; level: string; tags: string[]; source?: string; kind?: string; enabled: boolean }[];
  failed: { source: string; message: string }[];
  loadedAt?: number;
}

export function Rules({ role }: { role: string }) {
  const { data, error, reload } = useApi<RuleList>('/rules');
  const [q, setQ] = useState('');
  const [msg, setMsg] = useState<string>();
  if (error) return <div className="error">{error}</div>;
  if (!data) return <div className="muted">Loading…</div>;
  const toggle = async (id: string, enabled: boolean) => {
    await api(`/rules/${encodeURIComponent(id)}`, { method: 'PUT', body: { enabled } }).catch((e: Error) => setMsg(e.message));
    reload();
  };
  const doReload = async () => {
    try {
      const r = await api<{ loaded: number; failed: number }>('/rules/reload', { method: 'POST' });
      setMsg(`Reloaded: ${r.loaded} rules, ${r.failed} problem(s)`);
      reload();
    } catch (e) {
      setMsg((e as Error).message);
    }
  };
  const shown = data.loaded.filter((r) => !q || `${r.title} ${r.id} ${r.tags.join(' ')}`.toLowerCase().includes(q.toLowerCase()));
  return (
    <div>
      <h2>Rules</h2>
      <div className="filters">
        <input placeholder="filter rules" value={q} onChange={(e) => setQ(e.target.value)} className="grow" />
        {role === 'admin' && <button onClick={() => void doReload()}>Reload rules from disk</button>}
      </div>
      {msg && <div className="muted">{msg}</div>}
      <h3>
        Loaded ({data.loaded.length}); {data.loaded.filter((r) => !r.enabled).length} disabled
      </h3>
      <table data-testid="rule-table">
        <thead>
          <tr>
            <th>On</th>
            <th>Level</th>
            <th>Title</th>
            <th>Kind</th>
            <th>Tags</th>
            <th>File</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.id}>
              <td>
                <input type="checkbox" checked={r.enabled} disabled={role === 'viewer'} onChange={(e) => void toggle(r.id, e.target.checked)} />
              </td>
              <td>
                <Level level={r.level} />
              </td>
              <td title={r.id}>{r.title}</td>
              <td>{r.kind}</td>
              <td>{r.tags.join(' ')}</td>
              <td className="mono">{r.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Failed to load ({data.failed.length})</h3>
      <table>
        <tbody>
          {data.failed.map((f, i) => (
            <tr key={i}>
              <td className="mono">{f.source}</td>
              <td>{f.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
