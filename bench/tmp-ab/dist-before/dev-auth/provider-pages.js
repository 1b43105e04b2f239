import { PAGE_HEADERS } from './html.js';
import { deviceConfirmPage, deviceInputPage, logoutPage, messagePage } from './pages.js';
/**
 * The pages oidc-provider renders itself (errors, device flow, logout), in our markup and with our
 * headers. Supplying them also keeps the provider's "you SHOULD change this" notices off the console.
 */
function send(ctx, html) {
    for (const [name, value] of Object.entries(PAGE_HEADERS))
        ctx.set(name, value);
    ctx.type = 'html';
    ctx.body = html;
}
const clientLabel = (ctx) => {
    const client = ctx.oidc.client;
    return client?.clientName ?? client?.clientId ?? 'an application';
};
export async function renderError(ctx, out) {
    send(ctx, messagePage('Sign-in error', out.error_description ?? 'The request could not be completed.', { error: out.error, state: out.state }));
}
export async function userCodeInputSource(ctx, form, _out, err) {
    let message;
    if (err && (err.userCode || err.name === 'NoCodeError'))
        message = 'That code is not valid. Check it and try again.';
    else if (err?.name === 'AbortedError')
        message = 'The sign-in request was cancelled.';
    else if (err)
        message = 'The request could not be completed. Start again on your device.';
    // The provider's form carries an inline onfocus handler that our CSP blocks; drop it rather
    // than have every browser report a violation.
    send(ctx, deviceInputPage(form.replace(/\sonfocus="[^"]*"/g, ''), message));
}
export async function userCodeConfirmSource(ctx, form, _client, _deviceInfo, userCode) {
    send(ctx, deviceConfirmPage(form, clientLabel(ctx), userCode));
}
export async function deviceSuccessSource(ctx) {
    send(ctx, messagePage('Device connected', `You are signed in on ${clientLabel(ctx)}. You can close this window and return to your device.`));
}
export async function logoutSource(ctx, form) {
    send(ctx, logoutPage(form, ctx.host));
}
export async function postLogoutSuccessSource(ctx) {
    send(ctx, messagePage('Signed out', 'You are signed out of the development authorization server.'));
}
//# sourceMappingURL=provider-pages.js.map