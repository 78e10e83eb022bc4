import { useState } from 'react';
import { api, fmtTime } from '../api';
import { useApi } from '../hooks';
import { Panel } from './Overview';

interface Tok {
  id: string;
  name: string;
  kind: string;
  role: string;
  prefix: string;
  createdAt: number;
  lastUsedAt?: number;
  revoked: boolean;
}

export function Sources({ role }: { role: string }) {
  const sources = useApi<{ items: { source: string; events: number; lastSeen: number }[]; listeners: { kind: string; address: string }[] }>('/sources', 5000);
  const tokens = useApi<{ items: Tok[] }>(role === 'admin' ? '/tokens' : undefined);
  const [name, setName] = useState('');
  const [kind, setKind] = useState('source');
  const [secret, setSecret] = useState<string>();
  const [msg, setMsg] = useState<string>();
  const create = async () => {
    try {
      const r = await api<{ token: string }>('/tokens', { method: 'POST', body: { name, kind } });
      setSecret(r.token);
      setName('');
      tokens.reload();
    } catch (e) {
      setMsg((e as Error).message);
    }
  };
  const revoke = async (id: string) => {
    await api(`/tokens/${id}`, { method: 'DELETE' }).catch((e: Error) => setMsg(e.message));
    tokens.reload();
  };
  return (
    <div>
      <h2>Sources & tokens</h2>
      <Panel title="Listeners">
        <ul>
          {sources.data?.listeners.map((l) => (
            <li key={l.kind + l.address}>
              {l.kind}: <span className="mono">{l.address}</span>
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Sources">
        <table>
          <thead>
            <tr>
              <th>Source</th>
              <th>Events</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {sources.data?.items.map((s) => (
              <tr key={s.source}>
                <td>{s.source}</td>
                <td>{s.events}</td>
                <td>{fmtTime(s.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      {role === 'admin' && (
        <Panel title="Tokens">
          <div className="row">
            <input placeholder="name (e.g. dc01-winlogbeat)" value={name} onChange={(e) => setName(e.target.value)} />
            <select value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="source">source (send events only)</option>
              <option value="api">API (analyst)</option>
            </select>
            <button disabled={!name} onClick={() => void create()}>
              Create token
            </button>
          </div>
          {secret && (
            <div className="secret">
              New token (shown once): <span className="mono">{secret}</span>
            </div>
          )}
          {msg && <div className="error">{msg}</div>}
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Role</th>
                <th>Prefix</th>
                <th>Created</th>
                <th>Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.data?.items.map((t) => (
                <tr key={t.id} className={t.revoked ? 'muted' : ''}>
                  <td>{t.name}</td>
                  <td>{t.kind}</td>
                  <td>{t.role}</td>
                  <td className="mono">{t.prefix}…</td>
                  <td>{fmtTime(t.createdAt)}</td>
                  <td>{fmtTime(t.lastUsedAt)}</td>
                  <td>{t.revoked ? 'revoked' : <button onClick={() => void revoke(t.id)}>Revoke</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
    </div>
  );
}
