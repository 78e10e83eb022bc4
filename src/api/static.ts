import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the built console. Unknown paths fall back to index.html (client-side routing); paths
 * that escape the folder are refused. Hashed assets are cached for a year, index.html never.
 */
export async function serveStatic(root: string, urlPath: string): Promise<Response | undefined> {
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  } catch {
    return undefined;
  }
  if (rel.split(/[/\\]/).includes('..')) return undefined;
  let file = join(root, rel);
  if (!file.startsWith(root + sep) && file !== root) return undefined;
  let s = await stat(file).catch(() => undefined);
  if (!s || s.isDirectory()) {
    if (extname(rel)) return undefined;
    file = join(root, 'index.html');
    s = await stat(file).catch(() => undefined);
    if (!s) return undefined;
  }
  const body = await readFile(file);
  const isIndex = file.endsWith('index.html');
  return new Response(body, {
    headers: {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      // The console loads only its own scripts; charts set inline styles.
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    },
  });
}
