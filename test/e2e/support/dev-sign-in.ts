import type { Page } from 'playwright-core';
import type { TestBrowser } from './chromium.js';

export interface SignInOptions {
  /** Origin of the embedded authorization server (the issuer's origin). */
  authOrigin: string;
  /** Origin the browser must return to afterwards (the client's redirect URI). */
  returnOrigin: string;
  username: string;
  password: string;
}

/**
 * Plays the user on the embedded authorization server's real pages after a client sent the browser
 * there: waits for the sign-in form, signs in, approves the consent page and waits to be sent back.
 * Returns the consent page's text. Screenshots each page; a missing page fails with what was shown instead.
 */
export async function signInAndConsent(browser: TestBrowser, options: SignInOptions): Promise<string> {
  const { page } = browser;
  try {
    await page.waitForURL((url) => url.origin === options.authOrigin, { timeout: 30_000 });
    await page.locator('#login-form').waitFor({ timeout: 30_000 });
  } catch (error) {
    await browser.screenshot(`no-sign-in-page-${options.username}`);
    throw new Error(`the client did not bring ${options.username} to our sign-in page; at ${page.url()}:\n${await bodyText(page)}`, { cause: error });
  }
  if ((await page.locator('h1').innerText()) !== 'Sign in') throw new Error(`not the sign-in page: ${await bodyText(page)}`);
  await page.fill('#username', options.username);
  await page.fill('#password', options.password);
  await browser.screenshot(`sign-in-${options.username}`);
  await page.click('#login-form button[type=submit]');
  await page.locator('#consent-form').waitFor({ timeout: 30_000 });
  const consent = await bodyText(page);
  await browser.screenshot(`consent-${options.username}`);
  await page.click('#consent-form button[value=approve]');
  await page.waitForURL((url) => url.origin === options.returnOrigin, { timeout: 30_000 });
  return consent;
}

/** Signs the browser out of the authorization server (RP-initiated logout page), as a user switching accounts would. */
export async function signOutOfDevServer(browser: TestBrowser, issuer: string): Promise<void> {
  const { page } = browser;
  await page.goto(`${issuer}/session/end`);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Signed out' }).waitFor();
  await browser.screenshot('signed-out');
}

const bodyText = (page: Page) => page.locator('body').innerText();
