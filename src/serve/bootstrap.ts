import { randomBytes } from 'node:crypto';
import { hashPassword, hashToken, passwordProblem, tokenPrefix, newToken } from '../api/index.js';
import type { AppStore, Org } from '../store/index.js';
import { WardError } from '../util/index.js';

export interface BootstrapResult {
  org: Org;
  /** Set on first start only: what was created (secrets only when generated here). */
  created?: { email: string; password?: string; token?: string };
}

/**
 * First start: an organisation, an admin user and an admin API token, from WARD_ADMIN_EMAIL,
 * WARD_ADMIN_PASSWORD and WARD_ADMIN_TOKEN when set (unattended installs), otherwise generated
 * and printed once. Later starts change nothing.
 */
export async function bootstrap(store: AppStore, org: { name: string; slug: string }, env: NodeJS.ProcessEnv = process.env): Promise<BootstrapResult> {
  const orgs = await store.listOrgs();
  if (orgs.length > 0 && (await store.countUsers()) > 0) return { org: orgs[0] };
  const o = orgs[0] ?? (await store.createOrg(org));
  const email = env.WARD_ADMIN_EMAIL || 'admin@ward.local';
  let password = env.WARD_ADMIN_PASSWORD;
  if (password) {
    const problem = passwordProblem(password);
    if (problem) throw new WardError('usage.admin-password', `WARD_ADMIN_PASSWORD: ${problem}`);
  }
  const generatedPassword = password ? undefined : (password = randomBytes(12).toString('base64url'));
  const token = env.WARD_ADMIN_TOKEN || newToken();
  if (token.length < 16) throw new WardError('usage.admin-token', 'WARD_ADMIN_TOKEN must have at least 16 characters');
  const user = await store.createUser({ orgId: o.id, email, name: 'Administrator', role: 'admin', passwordHash: await hashPassword(password) });
  await store.createToken({ orgId: o.id, userId: user.id, name: 'admin', kind: 'api', role: 'admin', hash: hashToken(token), prefix: tokenPrefix(token) });
  return { org: o, created: { email, password: generatedPassword, token: env.WARD_ADMIN_TOKEN ? undefined : token } };
}
