import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords: scrypt (RFC 7914) with N=2^14, r=8, p=1 — OWASP's minimum for scrypt — and a 16-byte
 * salt, stored as `scrypt$N$r$p$salt$hash`. Tokens are 24 random bytes; only SHA-256 of a token
 * is stored (a token has 192 bits of entropy, so a fast hash is enough, unlike passwords).
 */
const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P, KEYLEN);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  const key = await scryptAsync(password, salt, n, r, p, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A fresh secret token, e.g. `ward_3q…`. */
export function newToken(): string {
  return `ward_${randomBytes(24).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenPrefix(token: string): string {
  return token.slice(0, 9);
}

/** Minimum password policy: long enough to resist guessing (NIST SP 800-63B §5.1.1.2: ≥ 8). */
export function passwordProblem(pw: unknown): string | undefined {
  if (typeof pw !== 'string') return 'password must be a string';
  if (pw.length < 10) return 'password must have at least 10 characters';
  if (pw.length > 1024) return 'password too long';
  return undefined;
}
