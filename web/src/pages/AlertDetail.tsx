import { attackUrl, fmtTime, type Alert } from '../api';
import { useApi } from '../hooks';
import { Level } from './Level';
import { Panel } from './Overview';

interface Detail {
  alert: Alert;
  attack: { id: string; url: string }[];
  events: { seq: number; source: string; receivedAt: number; event: unknown }[];
}

export function AlertDetail({ id }: { id: string }) {
  const { data, error } = useApi<Detail>(`/alerts/${encodeURIComponent(id)}`);
  if (error) return <div className="error">{error}</div>;
  if (!data) return <div className="muted">Loading…</div>;
  const a = data.alert;
  return (
    <div>
      <a href="#/alerts">← Alerts</a>
      <h2 data-testid="alert-title">
        <Level level={a.level} /> {a.ruleTitle}
      </h2>
      <div className="grid2">
        <Panel title="What">
          <dl>
            <dt>Host</dt>
            <dd>{a.host ?? '–'}</dd>
            <dt>User</dt>
            <dd>{a.user ?? '–'}</dd>
            <dt>First / last seen</dt>
            <dd>
              {fmtTime(a.firstSeen)} / {fmtTime(a.lastSeen)}
            </dd>
            <dt>Occurrences</dt>
            <dd>{a.count}</dd>
            <dt>Incident</dt>
            <dd>
              <a href={`#/incidents/${a.incidentId}`} data-testid="alert-incident-link">
                open incident
              </a>
            </dd>
            {a.explanation && (
              <>
                <dt>Why</dt>
                <dd>{a.explanation}</dd>
              </>
            )}
          </dl>
        </Panel>
        <Panel title="Rule">
          <dl>
            <dt>Title</dt>
            <dd>{a.ruleTitle}</dd>
            <dt>Id</dt>
            <dd className="mono">{a.ruleId}</dd>
            {a.ruleSource && (
              <>
                <dt>File</dt>
                <dd className="mono">{a.ruleSource}</dd>
              </>
            )}
            {a.ruleDescription && (
              <>
                <dt>Description</dt>
                <dd>{a.ruleDescription}</dd>
              </>
            )}
            <dt>ATT&CK</dt>
            <dd>
              {a.tactics.join(', ') || '–'}{' '}
              {a.techniques.map((t) => (
                <a key={t} href={attackUrl(t)} target="_blank" rel="noreferrer" className="tag">
                  {t}
                </a>
              ))}
            </dd>
          </dl>
        </Panel>
      </div>
      <Panel title="Matched fields">
        <table>
          <tbody>
            {Object.entries(a.fields).map(([k, v]) => (
              <tr key={k}>
                <th>{k}</th>
                <td className="mono">{typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title={`Evidence: ${data.events.length} stored event(s)`}>
        {data.events.map((e) => (
          <details key={e.seq} open={data.events.length === 1}>
            <summary>
              #{e.seq} from {e.source} at {fmtTime(e.receivedAt)}
            </summary>
            <pre>{JSON.stringify(e.event, null, 2)}</pre>
          </details>
        ))}
      </Panel>
    </div>
  );
}
