/**
 * A URL path under a prefix, joined with one slash between them, as Flask, FastAPI and Litestar
 * join a router's prefix and a route's path.
 */
export function joinUrlPath(prefix: string, path: string): string {
  if (prefix === '' || prefix === '/') return path === '' ? prefix : path;
  if (path === '' || path === '/') return prefix;
  return `${withoutTrailingSlashes(prefix)}/${withoutLeadingSlashes(path)}`;
}

function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end--;
  return text.slice(0, end);
}

function withoutLeadingSlashes(text: string): string {
  let start = 0;
  while (start < text.length && text[start] === '/') start++;
  return text.slice(start);
}

/** A URL variable, `<name>`, `<converter:name>` or a regex group `(?P<name>...)`; `[^<>]` keeps the search linear in the route's length. */
const URL_VARIABLE = /<([^<>]*)>/g;
/** `<str:alert_channel_key>`: a key that names what it opens is the credential a webhook's sender is given. */
const SECRET_WORD = /token|secret|api_?key|signature|(?:^|_)key$/i;
/** `<token_id>`, `<secret_pk>`: the database id of a secret, which anybody can guess, is no secret. */
const IDENTIFIER_SUFFIX = /(?:^|_)(?:id|pk|index|number|count)$/i;
/** Converters whose values are guessable counters, whatever the variable is called. */
const NUMBER_CONVERTERS = new Set(['int', 'float']);

/**
 * The first URL variable named for a secret: `<auth_token>`, `<string:api_key>`, `<signature>`;
 * `isPublic` names the variables known to be an object's public id, which are no secret.
 */
export function secretUrlVariable(url: string, isPublic: (name: string) => boolean = () => false): string | undefined {
  for (const [, variable] of url.matchAll(URL_VARIABLE)) {
    const separator = variable!.lastIndexOf(':');
    const name = variable!.slice(separator + 1);
    const converter = separator < 0 ? '' : variable!.slice(0, separator).trim();
    if (NUMBER_CONVERTERS.has(converter) || IDENTIFIER_SUFFIX.test(name)) continue;
    if (/^\w+$/.test(name) && SECRET_WORD.test(name) && !isPublic(name)) return name;
  }
  return undefined;
}
