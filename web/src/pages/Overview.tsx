import { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fmtTime, LEVELS, TACTICS } from '../api';
import { useApi } from '../hooks';

interface OverviewData {
  bucketMs: number;
  alerts: { total: number; byLevel: Record<string, number>; byTactic: Record<string, number>; byHost: { host: string; count: number }[]; overTime: { time: number; count: number }[] };
  sources: { source: string; events: number; lastSeen: number }[];
  openIncidents: number;
  events: number;
  metrics?: { eventsPerSecond: number; queued: number; detectionSkipped?: number };
}

const LEVEL_COLORS: Record<string, string> = { informational: '#8aa', low: '#5b9bd5', medium: '#e0a030', high: '#e06030', critical: '#c0203a' };

export function Overview() {
  const { data, error } = useApi<OverviewData>('/overview?hours=8760', 5000);
  if (error) return <div className="error">{error}</div>;
  if (!data) return <div className="muted">Loading…</div>;
  const a = data.alerts;
  const levels = LEVELS.map((l) => ({ name: l, count: a.byLevel[l] ?? 0 })).filter((x) => x.count > 0);
  const tactics = TACTICS.filter((t) => a.byTactic[t]).map((t) => ({ name: t, count: a.byTactic[t] }));
  const time = a.overTime.map((p) => ({ t: fmtTime(p.time).slice(0, data.bucketMs >= 86_400_000 ? 10 : 16), count: p.count }));
  return (
    <div>
      <h2>Overview</h2>
      <div className="cards">
        <Card label="Alerts" value={a.total} testid="stat-alerts" />
        <Card label="Open incidents" value={data.openIncidents} testid="stat-incidents" />
        <Card label="Events stored" value={data.events} />
        <Card label="Events/s (10 s)" value={Math.round(data.metrics?.eventsPerSecond ?? 0)} />
        {data.metrics?.detectionSkipped ? <Card label="Events not detected (see the server log)" value={data.metrics.detectionSkipped} /> : null}
      </div>
      <div className="grid2">
        <Panel title="Alerts over time">
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={time}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="t" fontSize={11} />
              <YAxis allowDecimals={false} fontSize={11} />
              <Tooltip />
              <Line type="monotone" dataKey="count" stroke="#2a6fb0" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </Panel>
        <Panel title="By level">
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={levels}>
              <XAxis dataKey="name" fontSize={11} />
              <YAxis allowDecimals={false} fontSize={11} />
              <Tooltip />
              <Bar dataKey="count" isAnimationActive={false}>
                {levels.map((l) => (
                  <Cell key={l.name} fill={LEVEL_COLORS[l.name]} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </Panel>
        <Panel title="By ATT&CK tactic (kill-chain order)">
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={tactics} layout="vertical" margin={{ left: 60 }}>
              <XAxis type="number" allowDecimals={false} fontSize={11} />
              <YAxis type="category" dataKey="name" fontSize={11} width={120} />
              <Tooltip />
              <Bar dataKey="count" fill="#6a4fb0" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </Panel>
        <Panel title="By host">
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={a.byHost} layout="vertical" margin={{ left: 60 }}>
              <XAxis type="number" allowDecimals={false} fontSize={11} />
              <YAxis type="category" dataKey="host" fontSize={11} width={150} />
              <Tooltip />
              <Bar dataKey="count" fill="#2a8f6f" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </Panel>
      </div>
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
            {data.sources.map((s) => (
              <tr key={s.source}>
                <td>{s.source}</td>
                <td>{s.events}</td>
                <td>{fmtTime(s.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}

function Card({ label, value, testid }: { label: string; value: number; testid?: string }) {
  return (
    <div className="card stat">
      <div className="muted">{label}</div>
      <div className="big" data-testid={testid}>
        {value.toLocaleString()}
      </div>
    </div>
  );
}

export function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="card">
      <h3>{title}</h3>
      {children}
    </section>
  );
}
