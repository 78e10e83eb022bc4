export function Level({ level }: { level: string }) {
  return <span className={`level level-${level}`}>{level}</span>;
}

export function Status({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{status}</span>;
}
