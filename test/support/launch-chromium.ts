import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_PATH } from './requirements.js';

/**
 * Headless Debian chromium for browser tests: no sandbox (containers run as root) and no
 * background networking, so the only requests are the ones a page makes.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
    ],
  });
}
