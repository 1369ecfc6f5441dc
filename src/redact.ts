/**
 * The API key must never reach output, logs or errors. Every key ljit resolves is registered here, and all
 * human output (stderr, error messages, verbose logs) passes through redact(). Patterns catch keys that were
 * never registered, such as one pasted into a URL.
 */
const secrets = new Set<string>();

export function registerSecret(secret: string): void {
  // Very short values would redact ordinary words; real keys are long.
  if (secret.length >= 4) secrets.add(secret);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out
    .replace(/(Bearer\s+)[^\s"',]+/gi, '$1***')
    .replace(/([?&]API_KEY=)[^&\s"']+/gi, '$1***');
}

/** The last four characters, for `auth status`. */
export function maskKey(key: string): string {
  return key.length <= 4 ? '****' : `****${key.slice(-4)}`;
}
