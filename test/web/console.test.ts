/**
 * Browser test of the web console in headless Chromium (Debian `chromium` + playwright-core):
 * log in, ingest events, see the alert appear, open the incident, change its status. Screenshots
 * go to test-artifacts/web/. Skips with a message when /usr/bin/chromium is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, mimikatz, ndjson, networkLogon, startTestServer, type TestServer } from '../api/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = join(root, 'test-artifacts', 'web');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`test/web: skipped, ${CHROMIUM} not found (install Debian's chromium package)`);

describe.skipIf(!haveChromium)('web console in headless Chromium', () => {
  let s: TestServer;
  let ctx: import('playwright-core').BrowserContext;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'web', 'dist', 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
    }
    s = await startTestServer();
    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'ward-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 900 },
    });
    mkdirSync(artifacts, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    await s?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('logs in, sees a new alert, opens its incident and moves it to triage', async () => {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(s.url);

    // wrong password first: an error, no session
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await page.getByText('wrong e-mail or password').waitFor();
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('stat-alerts').waitFor();
    expect(await page.getByTestId('stat-alerts').textContent()).toBe('0');
    await page.screenshot({ path: join(artifacts, '01-overview-empty.png'), fullPage: true });

    // a sensor sends events while the analyst watches the alert list
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alert-table').waitFor();
    const r = await s.req('/api/v1/events', {
      method: 'POST',
      body: ndjson([mimikatz('RVH-ICU-WS03.rvh.local', 'n.okafor'), networkLogon('RVH-FS01.rvh.local', 'RVH-ICU-WS03', 'svc-backup')]),
    });
    expect(r.status).toBe(200);
    const row = page.getByTestId('alert-row').filter({ hasText: 'Credential Dumping' });
    await row.waitFor({ timeout: 15_000 }); // the list refreshes itself
    expect(await page.getByTestId('alert-row').count()).toBe(2);
    await page.screenshot({ path: join(artifacts, '02-alerts.png'), fullPage: true });

    // full-text search narrows the list
    await page.getByTestId('filter-q').fill('svc-backup');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="alert-row"]').length === 1);
    await page.getByTestId('filter-q').fill('');

    await row.click();
    await page.getByTestId('alert-title').waitFor();
    expect(await page.getByTestId('alert-title').textContent()).toContain('Credential Dumping');
    await page.getByText('sekurlsa::logonpasswords').first().waitFor();
    await page.screenshot({ path: join(artifacts, '03-alert-detail.png'), fullPage: true });

    await page.getByTestId('alert-incident-link').click();
    await page.getByTestId('incident-title').waitFor();
    expect(await page.getByTestId('timeline').locator('li').count()).toBe(2);
    expect(await page.getByTestId('incident-status').textContent()).toBe('new');
    await page.getByTestId('set-status-triage').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="incident-status"]')?.textContent === 'triage');
    await page.getByTestId('note-input').fill('Isolated RVH-ICU-WS03 from the network; resetting svc-backup.');
    await page.getByTestId('note-add').click();
    await page.getByTestId('notes').getByText('Isolated RVH-ICU-WS03').waitFor();
    await page.screenshot({ path: join(artifacts, '04-incident-triage.png'), fullPage: true });

    // the change is stored, not just shown
    const incId = page.url().split('/').pop()!;
    const stored = await s.ward.store.getIncident(s.ward.boot.org.id, incId);
    expect(stored?.status).toBe('triage');
    expect(stored?.notes.map((n) => n.text)).toEqual(['Isolated RVH-ICU-WS03 from the network; resetting svc-backup.']);

    // the overview now shows the alerts
    await page.getByTestId('nav-overview').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="stat-alerts"]')?.textContent === '2');
    await page.screenshot({ path: join(artifacts, '05-overview.png'), fullPage: true });

    await page.getByTestId('nav-rules').click();
    await page.getByTestId('rule-table').waitFor();
    await page.getByText('nosuchmodifier').waitFor();
    await page.screenshot({ path: join(artifacts, '06-rules.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the demo data (screenshots for the README)', async () => {
    const { loadConfig, loadDemo, sigmaRuleLoader, startWard } = await import('../../src/serve/index.js');
    const data = mkdtempSync(join(tmpdir(), 'ward-demo-shot-'));
    const cfg = loadConfig({ env: {}, flags: { port: 0, data }, cwd: data });
    cfg.synchronous = 'NORMAL';
    cfg.taxii = false;
    const w = await startWard(cfg, { ruleLoader: sigmaRuleLoader([]), env: { WARD_ADMIN_PASSWORD: ADMIN.password, WARD_ADMIN_EMAIL: 'demo@ward.local' }, log: () => undefined });
    try {
      expect((await loadDemo(w)).events).toBeGreaterThan(100);
      const page = await ctx.newPage();
      await page.goto(w.url);
      await page.getByTestId('login-email').fill('demo@ward.local');
      await page.getByTestId('login-password').fill(ADMIN.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('stat-alerts').waitFor();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="stat-alerts"]')?.textContent?.replace(/\D/g, '')) > 5);
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(artifacts, 'demo-overview.png'), fullPage: true });
      await page.getByTestId('nav-incidents').click();
      await page.getByTestId('incident-row').first().waitFor();
      await page.screenshot({ path: join(artifacts, 'demo-incidents.png'), fullPage: true });
      await page.getByTestId('incident-row').first().click();
      await page.getByTestId('timeline').waitFor();
      await page.screenshot({ path: join(artifacts, 'demo-incident.png'), fullPage: true });
      await page.close();
    } finally {
      await w.close();
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
