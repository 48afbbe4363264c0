// Shared E2E plumbing: Chromium driven by playwright-core against the h5 build that the local cloud serves,
// and the dev login. The browser comes from npm (@sparticuz/chromium ships Chromium inside the package), so
// `npm test` needs no apt step; Debian's chromium is preferred where installed (its CJK fonts make readable
// screenshots).
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { promisify } from 'util';
import { startLocalCloud, type RunningCloud } from './local-cloud';

const run = promisify(execFile);

/** Where screenshots go. */
export const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
// Flags that keep Chromium off the (closed) network and working as root in CI.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The Chromium executable: Debian's if present, else the one inside @sparticuz/chromium (unpacked to /tmp). */
export async function chromiumPath(): Promise<string> {
  if (fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  // The package is ESM only and jest's CommonJS runtime cannot load it: a plain node process unpacks it.
  const script =
    "import('@sparticuz/chromium').then((m) => m.default.executablePath()).then((p) => process.stdout.write(p))";
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '..', '..') });
  return stdout.trim();
}

/** A seeded local cloud and a phone-sized page; page errors are collected in `errors`. */
export async function openH5(errors: string[]): Promise<{ cloud: RunningCloud; browser: Browser; page: Page }> {
  const cloud = await startLocalCloud({ seed: true });
  const browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { cloud, browser, page };
}

/** Closes what openH5 opened. */
export async function closeH5(browser?: Browser, cloud?: RunningCloud): Promise<void> {
  await browser?.close();
  await cloud?.stop();
}

/** Logs in on the dev login page with a typed openid and waits for the home page to show the member. */
export async function loginAs(page: Page, url: string, openid: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.waitForURL(/pages\/dev-login\/index/, { timeout: 20000 });
  await page.locator('#dev-openid-input input').fill(openid);
  await page.locator('#dev-openid-go').click();
  await page.waitForURL(/pages\/index\/index/, { timeout: 20000 });
}

/** Saves a screenshot under test/artifacts. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}
