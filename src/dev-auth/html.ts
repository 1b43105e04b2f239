/** Where the one stylesheet is served; pages load nothing else, and nothing from elsewhere. */
export const STYLESHEET_PATH = '/assets/dev-auth.css';

/**
 * Strict policy for every page: no scripts, styles only from our own stylesheet, no framing.
 * `form-action` is left out on purpose: browsers apply it to the redirects that follow a form
 * submission, and the sign-in form ends in a redirect to the client's (any) redirect URI.
 */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Headers every HTML page carries. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export const STYLESHEET = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0;background:#f4f5f7;color:#1d2330}
main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 1rem}
.dev{background:#fff3cd;color:#664d03;border:1px solid #ffe69c;border-radius:4px;padding:.4rem .6rem;font-size:.8rem;margin-bottom:1.2rem}
.error{background:#f8d7da;color:#842029;border:1px solid #f5c2c7;border-radius:4px;padding:.5rem .7rem}
label{display:block;font-size:.9rem;margin:.8rem 0 .3rem}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.55rem;font-size:1rem;border:1px solid #b8bec9;border-radius:4px}
button{margin-top:1.2rem;padding:.6rem 1rem;font-size:1rem;border:0;border-radius:4px;background:#2f5bd3;color:#fff;cursor:pointer}
button.secondary{background:#e3e6ec;color:#1d2330;margin-left:.5rem}
button.link{background:none;color:inherit;padding:0;font-size:.85rem;text-decoration:underline}
ul.scopes{padding-left:1.2rem}ul.scopes li{margin:.3rem 0}
.muted{color:#677086;font-size:.85rem}
code.user-code{font-size:1.6rem;letter-spacing:.1em}
@media (prefers-color-scheme:dark){body{background:#15181e;color:#e4e7ec}main{background:#1f242d}input[type=text],input[type=password]{background:#15181e;color:#e4e7ec}}
`;

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A full page. `body` must already be safe HTML: build it with {@link escapeHtml} for every value
 * that did not come from this module.
 */
export function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · todo-mcp dev auth</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main>
<p class="dev">DEVELOPMENT ONLY — todo-mcp's embedded authorization server. Do not use real passwords here.</p>
${body}
</main>
</body>
</html>
`;
}
