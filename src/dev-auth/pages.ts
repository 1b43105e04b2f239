import { SCOPE_DESCRIPTIONS } from '../policy/scopes.js';
import { escapeHtml, layout } from './html.js';

const OIDC_DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Confirm who you are',
  profile: 'Your name and username',
  offline_access: 'Stay signed in (refresh tokens)',
};

const describe = (scope: string) =>
  OIDC_DESCRIPTIONS[scope] ?? (SCOPE_DESCRIPTIONS as Readonly<Record<string, string>>)[scope] ?? scope;

const scopeItem = (scope: string, note = '') =>
  `<li><code>${escapeHtml(scope)}</code> — ${escapeHtml(describe(scope))}${note}</li>`;

export function loginPage(input: { action: string; clientName: string; username?: string; error?: string; usernames: readonly string[] }): string {
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : '';
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(input.clientName)}</strong></p>
${error}
<form id="login-form" method="post" action="${escapeHtml(input.action)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(input.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="muted">Development accounts: ${input.usernames.map((u) => `<code>${escapeHtml(u)}</code>`).join(', ')}. Their passwords are printed in the server's start-up banner.</p>`,
  );
}

export function consentPage(input: {
  action: string;
  /** Where the "Not <username>? Sign in as someone else" form posts. */
  switchAccountAction: string;
  clientName: string;
  clientId: string;
  username: string;
  oidcScopes: readonly string[];
  granted: readonly string[];
  denied: readonly string[];
  resources: readonly string[];
}): string {
  const items = [
    ...input.oidcScopes.map((s) => scopeItem(s)),
    ...input.granted.map((s) => scopeItem(s)),
    ...input.denied.map((s) => scopeItem(s, ' <span class="muted">(not granted: your roles do not include it)</span>')),
  ];
  const resources = input.resources.length
    ? `<p class="muted">For: ${input.resources.map((r) => `<code>${escapeHtml(r)}</code>`).join(', ')}</p>`
    : '';
  return layout(
    'Authorize access',
    `<h1>Authorize ${escapeHtml(input.clientName)}</h1>
<p><strong>${escapeHtml(input.clientName)}</strong> <span class="muted">(client <code>${escapeHtml(input.clientId)}</code>)</span> asks to act as <strong>${escapeHtml(input.username)}</strong> with:</p>
<ul class="scopes" id="requested-scopes">${items.join('')}</ul>
${resources}
<form id="consent-form" method="post" action="${escapeHtml(input.action)}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>
<form id="switch-account-form" method="post" action="${escapeHtml(input.switchAccountAction)}">
<button type="submit" class="link">Not ${escapeHtml(input.username)}? Sign in as someone else</button>
</form>`,
  );
}

export function messagePage(title: string, message: string, details: Readonly<Record<string, unknown>> = {}): string {
  const rows = Object.entries(details)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `<li><code>${escapeHtml(key)}</code>: ${escapeHtml(value)}</li>`)
    .join('');
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>${rows ? `<ul>${rows}</ul>` : ''}`);
}

/** `form` is the provider's own form markup (its values are escaped by the provider). */
export function deviceInputPage(form: string, error?: string): string {
  const message = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '<p>Enter the code shown on your device.</p>';
  return layout(
    'Connect a device',
    `<h1>Connect a device</h1>\n${message}\n${form}\n<button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

export function deviceConfirmPage(form: string, clientName: string, userCode: string): string {
  return layout(
    'Confirm device',
    `<h1>Confirm device</h1>
<p><strong>${escapeHtml(clientName)}</strong> wants to sign in. Check that your device shows this code:</p>
<p><code class="user-code">${escapeHtml(userCode)}</code></p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes" class="secondary">Cancel</button>`,
  );
}

export function logoutPage(form: string, host: string): string {
  return layout(
    'Sign out',
    `<h1>Sign out of ${escapeHtml(host)}?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  );
}
