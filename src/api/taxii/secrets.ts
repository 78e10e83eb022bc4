/**
 * Secrets for TAXII users: passwords and bearer tokens are kept only as scrypt hashes (RFC 7914;
 * N=2^14, r=8, p=1, 16-byte salt — OWASP's minimum), compared in constant time. A token reads
 * `ward_<id>_<secret>`: the id finds the stored hash, the secret is verified against it, so the
 * secret itself is never stored.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scryptAsync(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEYLEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A hash no secret matches: verified against when the user is unknown, so timing does not tell. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEYLEN).toString('base64')}`;

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  // Refuse parameters that would let a tampered hash exhaust memory or time.
  if (!(n >= 1024 && n <= 1 << 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return false;
  const expected = Buffer.from(parts[5], 'base64');
  if (expected.length !== KEYLEN) return false;
  const key = await scryptAsync(secret, Buffer.from(parts[4], 'base64'), n, r, p);
  return timingSafeEqual(key, expected);
}

export interface NewToken {
  id: string;
  /** The full token, shown once to the user. */
  token: string;
  secretHash: string;
}

export async function newToken(): Promise<NewToken> {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const token = `ward_${id}_${secret}`;
  return { id, token, secretHash: await hashSecret(token) };
}

export function tokenId(token: string): string | undefined {
  const m = /^ward_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/.exec(token);
  return m?.[1];
}

/** A fresh random admin token when WARD_ADMIN_TOKEN is not set. */
export function randomAdminToken(): string {
  return `ward_admin_${randomBytes(32).toString('base64url')}`;
}
