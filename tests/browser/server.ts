/**
 * A tiny static server for the built site: what a plain web host does (directory → index.html,
 * "/areas/511102" → 301 "/areas/511102/", 404 otherwise). Bound to 127.0.0.1 on a random port.
 * With `base` ("/cso-monitor/") it serves `root` below that folder, as the README's nginx snippet does:
 * nothing outside the base exists, and a missing page gets 404.html (en/404.html under /en/) with status 404.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { normalizeBase } from '../../src/i18n/paths';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pdf': 'application/pdf',
};

export interface StaticServer {
  origin: string;
  /** "/" or "/cso-monitor/" */
  base: string;
  close(): Promise<void>;
}

export async function serveStatic(root: string, options: { base?: string; port?: number } = {}): Promise<StaticServer> {
  const base = path.resolve(root);
  const urlBase = normalizeBase(options.base ?? '/');
  const notFound = (res: http.ServerResponse, sitePath: string) => {
    const candidates = sitePath.startsWith('/en/') ? ['en/404.html', '404.html'] : ['404.html'];
    const page = candidates.map((p) => path.join(base, p)).find((p) => existsSync(p));
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(404, { 'content-type': TYPES['.html'], 'content-length': statSync(page).size });
    createReadStream(page).pipe(res);
  };
  const server = http.createServer((req, res) => {
    let requested: string;
    try {
      requested = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (requested === urlBase.slice(0, -1) && urlBase !== '/') {
      res.writeHead(301, { location: urlBase }).end();
      return;
    }
    if (!requested.startsWith(urlBase)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: outside ${urlBase}`);
      return;
    }
    const pathname = '/' + requested.slice(urlBase.length);
    const file = path.join(base, pathname);
    if (!file.startsWith(base)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let target = file;
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: requested + '/' }).end();
        return;
      }
      target = path.join(file, 'index.html');
    }
    if (!existsSync(target) || !statSync(target).isFile()) {
      notFound(res, pathname);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(target).toLowerCase()] ?? 'application/octet-stream',
      'content-length': statSync(target).size,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(target).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    base: urlBase,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
