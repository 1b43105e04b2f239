import type { KoaContextWithOIDC } from 'oidc-provider';
import { PAGE_HEADERS } from './html.js';
import { deviceConfirmPage, deviceInputPage, logoutPage, messagePage } from './pages.js';

/**
 * The pages oidc-provider renders itself (errors, device flow, logout), in our markup and with our
 * headers. Supplying them also keeps the provider's "you SHOULD change this" notices off the console.
 */

function send(ctx: KoaContextWithOIDC, html: string): void {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = html;
}

const clientLabel = (ctx: KoaContextWithOIDC) => {
  const client = ctx.oidc.client;
  return client?.clientName ?? client?.clientId ?? 'an application';
};

export async function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string; state?: string }): Promise<void> {
  send(
    ctx,
    messagePage('Sign-in error', out.error_description ?? 'The request could not be completed.', { error: out.error, state: out.state }),
  );
}

export async function userCodeInputSource(
  ctx: KoaContextWithOIDC,
  form: string,
  _out?: unknown,
  err?: { name?: string; userCode?: string },
): Promise<void> {
  let message: string | undefined;
  if (err && (err.userCode || err.name === 'NoCodeError')) message = 'That code is not valid. Check it and try again.';
  else if (err?.name === 'AbortedError') message = 'The sign-in request was cancelled.';
  else if (err) message = 'The request could not be completed. Start again on your device.';
  // The provider's form carries an inline onfocus handler that our CSP blocks; drop it rather
  // than have every browser report a violation.
  send(ctx, deviceInputPage(form.replace(/\sonfocus="[^"]*"/g, ''), message));
}

export async function userCodeConfirmSource(ctx: KoaContextWithOIDC, form: string, _client: unknown, _deviceInfo: unknown, userCode: string): Promise<void> {
  send(ctx, deviceConfirmPage(form, clientLabel(ctx), userCode));
}

export async function deviceSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  send(ctx, messagePage('Device connected', `You are signed in on ${clientLabel(ctx)}. You can close this window and return to your device.`));
}

export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  send(ctx, logoutPage(form, ctx.host));
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  send(ctx, messagePage('Signed out', 'You are signed out of the development authorization server.'));
}
