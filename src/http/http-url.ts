/**
 * What is wrong with `value` as the URL of an HTTP endpoint or resource identifier ("must be an absolute
 * URL", "must be an http(s) URL", "must not contain a fragment (#…)"), or undefined when it is fine. Each
 * caller words the rest and throws its own error.
 */
export function httpUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  // `new URL('http://h/#').hash` is '': an empty fragment is still a fragment.
  if (url.hash || value.includes('#')) return 'must not contain a fragment (#…)';
  return undefined;
}
