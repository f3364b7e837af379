/**
 * Debian's chromium, driven by playwright-core (which never downloads a browser), with a fresh profile
 * per run and the flags a headless, offline, 2-core container needs.
 */
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_BIN } from './install';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  // A persistent context is how playwright takes a --user-data-dir: this run's own, empty profile.
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
    env: { ...process.env, HOME: profileDir, XDG_CONFIG_HOME: profileDir, XDG_CACHE_HOME: profileDir },
  });
}
