/**
 * Real Debian chromium driven by playwright-core, with everything that could reach the network
 * switched off. Records console errors, page errors and every request, so tests can assert the
 * report loads nothing but itself.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
}

export interface WatchedPage {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

export async function openPage(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme });
  page.setDefaultTimeout(15_000);
  const watched: WatchedPage = { page, consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watched.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watched.pageErrors.push(e.message));
  page.on('request', (r) => watched.requests.push(r.url()));
  await page.goto(url, { waitUntil: 'load' });
  return watched;
}
