import { useEffect, useState } from 'react';
import { api, getSession, setSession, type Session } from './api';
import { useRoute } from './hooks';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { Alerts } from './pages/Alerts';
import { AlertDetail } from './pages/AlertDetail';
import { Incidents } from './pages/Incidents';
import { IncidentDetail } from './pages/IncidentDetail';
import { Rules } from './pages/Rules';
import { Sources } from './pages/Sources';

const NAV = [
  ['', 'Overview'],
  ['alerts', 'Alerts'],
  ['incidents', 'Incidents'],
  ['rules', 'Rules'],
  ['sources', 'Sources & tokens'],
];

export function App() {
  const [session, set] = useState<Session | undefined>(getSession);
  const route = useRoute();
  useEffect(() => {
    const on = () => set(getSession());
    window.addEventListener('ward-session', on);
    return () => window.removeEventListener('ward-session', on);
  }, []);
  if (!session) return <Login />;
  const [page, id] = route;
  const logout = () => void api('/auth/logout', { method: 'POST' }).finally(() => setSession(undefined));
  return (
    <div className="shell">
      <nav className="nav">
        <div className="brand">Ward</div>
        {NAV.map(([p, label]) => (
          <a key={p} href={`#/${p}`} className={(page ?? '') === p ? 'active' : ''} data-testid={`nav-${p || 'overview'}`}>
            {label}
          </a>
        ))}
        <div className="who">
          <div>{session.user.email}</div>
          <div className="muted">
            {session.org?.name} · {session.user.role}
          </div>
          <button onClick={logout} data-testid="logout">
            Log out
          </button>
        </div>
      </nav>
      <main className="main">
        {page === 'alerts' && id ? (
          <AlertDetail id={id} />
        ) : page === 'alerts' ? (
          <Alerts />
        ) : page === 'incidents' && id ? (
          <IncidentDetail id={id} role={session.user.role} />
        ) : page === 'incidents' ? (
          <Incidents />
        ) : page === 'rules' ? (
          <Rules role={session.user.role} />
        ) : page === 'sources' ? (
          <Sources role={session.user.role} />
        ) : (
          <Overview />
        )}
      </main>
    </div>
  );
}
