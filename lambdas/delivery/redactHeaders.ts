/**
 * Header names whose values never reach logs, errors or API responses. Plain names match
 * exactly; `*` matches any run of characters (`*token*` catches `x-auth-token`). Case-insensitive.
 */
export const DEFAULT_SENSITIVE_HEADERS: readonly string[] = [
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key',
  '*token*', '*secret*', '*key*', '*password*',
];

export const REDACTED = '[redacted]';

/** A copy of `headers` with the values of sensitive headers replaced by "[redacted]". */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  sensitive: readonly string[] = DEFAULT_SENSITIVE_HEADERS,
): Record<string, string> {
  const patterns = sensitive.map(globToRegExp);
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, patterns.some((p) => p.test(name)) ? REDACTED : value]),
  );
}

function globToRegExp(glob: string): RegExp {
  const source = glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'i');
}
