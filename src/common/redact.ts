/**
 * Replaces every occurrence of a secret in a text by "[redacted]". Secrets shorter than 4
 * characters are not searched for (they would mangle ordinary text and protect nothing).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    result = result.split(secret).join('[redacted]');
  }
  return result;
}
