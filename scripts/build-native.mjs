// Builds the raw screen's native walk (binding.gyp → build/Release/ward_screen.node) with the
// node-gyp that npm ships, from source, against the local Node headers. Run by `npm install`.
// Optional by design: without a C compiler the build fails, Ward says so once here and runs the
// same screen in JavaScript (src/detect/sigma/prefilter/native.ts falls back), only slower.
// WARD_NATIVE=0 skips the build; WARD_NATIVE=require makes a failed build fail the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const mode = process.env.WARD_NATIVE;
if (mode === '0') process.exit(0);

/** npm's own node-gyp: named by npm while it runs scripts, else found next to npm itself. */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => c && existsSync(c));
}

const gyp = nodeGyp();
const r = gyp
  ? spawnSync(process.execPath, [gyp, 'rebuild', '--release'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  : { status: 1, stderr: 'node-gyp not found next to npm' };
if (r.status === 0) process.exit(0);
const why = (r.stderr ?? '').split('\n').filter((l) => /error|ERR!/i.test(l)).slice(0, 6).join('\n');
if (mode === 'require') {
  console.error(`ward: building the native screen failed:\n${why || r.stderr}`);
  process.exit(1);
}
console.warn(`ward: the native screen was not built (${gyp ? 'node-gyp failed' : 'no node-gyp'}); \`ward hunt\` runs the same screen in JavaScript, slower.\n${why}`);
