/**
 * A tiny scripted "browser" for the embedded development authorization server: plain fetch with
 * manual redirects and a cookie jar, which fills in the real HTML forms (sign-in, consent, device
 * code) the way a user would. No page is mocked; the forms are parsed from the served HTML.
 */

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** Cookies by name and path (one server, so domains are not tracked). */
export class CookieJar {
  private readonly cookies = new Map<string, Cookie>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = val || '/';
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const key = `${name};${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

export interface ParsedForm {
  id: string | undefined;
  action: string;
  fields: Record<string, string>;
}

const decode = (value: string) =>
  value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? decode(match[1]!) : undefined;
};

/** The forms of a page with their hidden and pre-filled inputs. */
export function parseForms(html: string): ParsedForm[] {
  const forms: ParsedForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, tag = '', inner = ''] = match;
    const fields: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input[0], 'name');
      if (name) fields[name] = attribute(input[0], 'value') ?? '';
    }
    forms.push({ id: attribute(tag, 'id'), action: attribute(tag, 'action') ?? '', fields });
  }
  return forms;
}

/** oidc-provider's form_post pages submit their one form from an inline script on load. */
const AUTO_SUBMIT = /<script>[^<]*document\.forms\[0\]\.submit\(\)/;

export interface BrowseOptions {
  username: string;
  password: string;
  /** What to answer on a consent page. Default: 'approve'. */
  consent?: 'approve' | 'deny';
  /**
   * On the first consent page, choose "Not …? Sign in as someone else" instead, then sign in with
   * `username`/`password` and answer later consent pages with `consent`. Default: false.
   */
  switchAccount?: boolean;
  /** The user code to type on the device page. */
  userCode?: string;
  /** Stop (without fetching) when a redirect goes here. Default: never. */
  isCallback?: (url: URL) => boolean;
  jar?: CookieJar;
}

export interface BrowseResult {
  /** The redirect that matched `isCallback`, when one did. */
  callbackUrl?: URL;
  /** The page the walk ended on when it did not end at the callback. */
  finalPage?: { url: string; status: number; html: string };
  /**
   * The pages met on the way, in order: 'login', 'login-error', 'consent', 'switch-account' (a consent
   * page where the switch was chosen), 'auto-submit' (the provider's self-submitting form, e.g. the
   * logout that ends the previous account's session), 'device-input', 'device-confirm'.
   */
  pages: string[];
  /** The HTML of the last page of each kind met (e.g. `html.consent`). */
  html: Record<string, string>;
}

/** Follows redirects from `start` and fills in every form of the sign-in flow, at most 25 requests. */
export async function browse(start: string | URL, options: BrowseOptions): Promise<BrowseResult> {
  const jar = options.jar ?? new CookieJar();
  const pages: string[] = [];
  const seen: Record<string, string> = {};
  const met = (kind: string, html: string) => {
    pages.push(kind);
    seen[kind] = html;
  };
  let url = new URL(start);
  let method = 'GET';
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 25; step += 1) {
    const headers: Record<string, string> = { accept: 'text/html', cookie: jar.header(url) };
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    jar.store(response);
    if (response.status >= 300 && response.status < 400) {
      await response.arrayBuffer();
      const next = new URL(response.headers.get('location') ?? '', url);
      if (options.isCallback?.(next)) return { callbackUrl: next, pages, html: seen };
      [url, method, body] = [next, 'GET', undefined];
      continue;
    }
    const html = await response.text();
    const forms = parseForms(html);
    const byId = (id: string) => forms.find((f) => f.id === id);
    const login = byId('login-form');
    const consent = byId('consent-form');
    const switchAccount = byId('switch-account-form');
    const deviceInput = byId('op.deviceInputForm');
    const deviceConfirm = byId('op.deviceConfirmForm');
    let form: ParsedForm;
    let fields: Record<string, string>;
    if (login && response.status === 200) {
      met('login', html);
      [form, fields] = [login, { username: options.username, password: options.password }];
    } else if (consent && switchAccount && options.switchAccount && !pages.includes('switch-account')) {
      met('switch-account', html);
      [form, fields] = [switchAccount, switchAccount.fields];
    } else if (consent) {
      met('consent', html);
      [form, fields] = [consent, { decision: options.consent ?? 'approve' }];
    } else if (deviceInput && options.userCode && !pages.includes('device-input')) {
      met('device-input', html);
      [form, fields] = [deviceInput, { ...deviceInput.fields, user_code: options.userCode }];
    } else if (deviceConfirm) {
      met('device-confirm', html);
      [form, fields] = [deviceConfirm, deviceConfirm.fields];
    } else if (forms.length === 1 && AUTO_SUBMIT.test(html)) {
      // What the page's inline script does in a browser.
      met('auto-submit', html);
      [form, fields] = [forms[0]!, forms[0]!.fields];
    } else {
      if (login) met('login-error', html);
      return { finalPage: { url: url.href, status: response.status, html }, pages, html: seen };
    }
    [url, method, body] = [new URL(form.action, url), 'POST', new URLSearchParams(fields)];
  }
  throw new Error(`sign-in did not finish within 25 requests (pages: ${pages.join(', ')})`);
}
