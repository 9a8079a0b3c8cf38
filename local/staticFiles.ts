import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves a built single-page app (the web console's `console/dist`) for GET/HEAD requests.
 * Returns false when it has nothing for this request (no such folder, other method, missing asset),
 * so the caller answers 404. Paths without an extension fall back to index.html (client routing).
 */
export function serveStaticFile(root: string, request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!existsSync(join(root, 'index.html'))) return false;
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname);
  } catch {
    return false;
  }
  const resolved = normalize(join(root, path));
  if (resolved !== root && !resolved.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
  let file = resolved;
  if (!isFile(file)) {
    if (extname(path) !== '') return false;
    file = join(root, 'index.html');
  }
  const size = statSync(file).size;
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600',
  });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
  return true;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
