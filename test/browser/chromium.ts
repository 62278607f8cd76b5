// Headless Chromium for the tests that run pages (test/browser, test/package): where it is, why a test
// skips without it, and a tiny server of in-memory files.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);
export const executablePath = candidates.find((p) => existsSync(p));
export const skipReason = executablePath
  ? undefined
  : `no Chromium found (looked at ${candidates.join(', ')}): install Debian's chromium (apt-get install chromium; .ci/run does this when it runs as root with apt-get) or set CHROMIUM_PATH`;

/** Launches headless Chromium (the caller closes it). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Serves `files` (path → [content type, body]) on 127.0.0.1; resolves to the server and its origin. */
export async function serveFiles(files: Record<string, [string, string]>, headers: (url: string) => Record<string, string> = () => ({})): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const f = files[(req.url ?? '/').split('?')[0]];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f[0], 'cache-control': 'no-store', ...headers(req.url ?? '/') }).end(f[1]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { server, origin: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}
