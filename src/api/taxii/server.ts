/**
 * The standalone TAXII server (`ward taxii serve`): the Hono app on Node's HTTP server, over the
 * SQLite store in the data directory (or PostgreSQL when a URL is given).
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openPostgresStixStore, openSqliteStixStore, type StixStore } from '../../store/index.js';
import { createTaxiiApp, type TaxiiAppOptions } from './app.js';
import { StoreTaxiiAuth } from './auth.js';

export const TAXII_DB = 'taxii.db';

export async function openTaxiiStore(dataDir: string, postgresUrl?: string): Promise<StixStore> {
  return postgresUrl ? openPostgresStixStore(postgresUrl) : openSqliteStixStore(join(dataDir, TAXII_DB));
}

export interface TaxiiServerOptions extends Partial<Omit<TaxiiAppOptions, 'store' | 'auth'>> {
  dataDir: string;
  port: number;
  host?: string;
  adminToken?: string;
  orgIdentity?: string;
  postgresUrl?: string;
  /** Use this store instead of opening one (tests, benchmarks). */
  store?: StixStore;
}

export interface RunningTaxiiServer {
  url: string;
  port: number;
  store: StixStore;
  close(): Promise<void>;
}

export async function startTaxiiServer(o: TaxiiServerOptions): Promise<RunningTaxiiServer> {
  const store = o.store ?? (await openTaxiiStore(o.dataDir, o.postgresUrl));
  const auth = new StoreTaxiiAuth(store, { adminToken: o.adminToken, orgIdentity: o.orgIdentity });
  const app = createTaxiiApp({ ...o, store, auth });
  const host = o.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: o.port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    store,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      if (!o.store) await store.close();
    },
  };
}
