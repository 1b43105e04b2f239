import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { AccountDirectory } from './accounts.js';
import { parseScopeString } from '../oauth/scope-string.js';
import { decideScopes, recordDecision, resourceList } from './grant-scopes.js';
import { PAGE_HEADERS } from './html.js';
import { consentPage, loginPage, messagePage } from './pages.js';
import { isFirstParty, scopePolicy } from './provider-config.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

const MAX_FORM_BYTES = 16 * 1024;

/** Key of the interaction result that records "sign in as someone else" until the new login finishes. */
const SWITCH_ACCOUNT = 'todoMcpSwitchAccount';

/** Which page the interaction is on: the provider's prompt, except that a consent turns into a sign-in once the user asked to switch accounts. */
function stepOf(details: Interaction): string {
  return details.prompt.name === 'consent' && details.result?.[SWITCH_ACCOUNT] === true ? 'login' : details.prompt.name;
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, PAGE_HEADERS).end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new RangeError('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The sign-in and consent pages (`/interaction/:uid…`). oidc-provider only redirects here; these
 * handlers check the user and hand a result back to it with `interactionFinished`.
 */
export function createInteractionHandler(options: { provider: Provider; accounts: AccountDirectory }) {
  const { provider, accounts } = options;

  async function clientName(clientId: unknown): Promise<string> {
    const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
    return client?.clientName ?? client?.clientId ?? 'an application';
  }

  function decision(details: Interaction) {
    const resources = resourceList(details.params.resource);
    const accountId = details.session?.accountId;
    const outcome = decideScopes({ requested: parseScopeString(details.params.scope) ?? [], resources }, scopePolicy(accounts, accountId));
    return { resources, accountId, outcome };
  }

  async function approve(req: IncomingMessage, res: ServerResponse, details: Interaction): Promise<void> {
    const { resources, accountId, outcome } = decision(details);
    const clientId = details.params.client_id as string;
    const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId, clientId });
    recordDecision(grant, resources, outcome);
    const missingClaims = details.prompt.details.missingOIDCClaims;
    if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims as string[]);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async function showPrompt(req: IncomingMessage, res: ServerResponse, details: Interaction): Promise<void> {
    const name = await clientName(details.params.client_id);
    if (stepOf(details) === 'login') {
      sendPage(res, 200, loginPage({ action: `/interaction/${details.uid}/login`, clientName: name, usernames: accounts.list().map((a) => a.username) }));
      return;
    }
    if (details.prompt.name === 'consent') {
      if (isFirstParty(details.params.client_id as string)) {
        await approve(req, res, details);
        return;
      }
      const { resources, accountId, outcome } = decision(details);
      sendPage(
        res,
        200,
        consentPage({
          action: `/interaction/${details.uid}/consent`,
          switchAccountAction: `/interaction/${details.uid}/switch-account`,
          clientName: name,
          clientId: String(details.params.client_id),
          username: accountId ?? '',
          oidcScopes: outcome.oidc,
          granted: outcome.granted,
          denied: outcome.denied,
          resources,
        }),
      );
      return;
    }
    sendPage(res, 400, messagePage('Unsupported step', 'This sign-in step is not supported by the development server.'));
  }

  async function login(req: IncomingMessage, res: ServerResponse, details: Interaction): Promise<void> {
    const form = await readForm(req);
    const username = form.get('username')?.trim() ?? '';
    const account = accounts.authenticate(username, form.get('password') ?? '');
    if (!account) {
      const name = await clientName(details.params.client_id);
      const page = loginPage({
        action: `/interaction/${details.uid}/login`,
        clientName: name,
        username,
        error: 'Wrong username or password.',
        usernames: accounts.list().map((a) => a.username),
      });
      sendPage(res, 401, page);
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.username } }, { mergeWithLastSubmission: false });
  }

  /**
   * "Not alice?": the same interaction goes back to the sign-in form. The current login is only
   * replaced when the new one finishes: oidc-provider then sees a different accountId, ends the old
   * session (its logout confirmation) and resumes this same authorization request for the new account.
   */
  async function switchAccount(req: IncomingMessage, res: ServerResponse, details: Interaction): Promise<void> {
    await provider.interactionResult(req, res, { [SWITCH_ACCOUNT]: true }, { mergeWithLastSubmission: false });
    // Post/redirect/get: a reload shows the sign-in form again instead of re-posting.
    res.writeHead(303, { location: `/interaction/${details.uid}`, 'content-length': '0' }).end();
  }

  async function consent(req: IncomingMessage, res: ServerResponse, details: Interaction): Promise<void> {
    const form = await readForm(req);
    if (form.get('decision') === 'approve') {
      await approve(req, res, details);
      return;
    }
    const result = { error: 'access_denied', error_description: 'The user denied the request.' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  /** Handles `/interaction/…`; answers false when the path is not one of ours. */
  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|consent|switch-account))?$/.exec(pathname);
    if (!match) return false;
    const [, uid, action] = match;
    const expectedMethod = action ? 'POST' : 'GET';
    if (req.method !== expectedMethod) {
      res.writeHead(405, { allow: expectedMethod }).end();
      return true;
    }
    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      sendPage(res, 400, messagePage('Sign-in expired', 'This sign-in request has expired or was already used. Start again from your application.'));
      return true;
    }
    // The cookie names the interaction; a URL for another one is stale or forged. Each form is only
    // accepted at its step, so e.g. a consent page left open cannot approve after a switch of account.
    const step = stepOf(details);
    const expectedStep = action === 'switch-account' ? 'consent' : (action ?? step);
    if (details.uid !== uid || step !== expectedStep) {
      sendPage(res, 400, messagePage('Sign-in expired', 'This page is out of date. Start again from your application.'));
      return true;
    }
    if (action === 'login') await login(req, res, details);
    else if (action === 'consent') await consent(req, res, details);
    else if (action === 'switch-account') await switchAccount(req, res, details);
    else await showPrompt(req, res, details);
    return true;
  };
}
