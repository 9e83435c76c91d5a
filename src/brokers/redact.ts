/**
 * Takes the secrets out of a text: every occurrence, and every fragment of 8 or more characters
 * (a message cut in the middle of a key, a server echoing part of it), plus a piece of 4 or more
 * at either end of the text (where a cut leaves one). Secrets shorter than 4 characters are not
 * searched for (they would mangle ordinary text and protect nothing).
 */
const fragmentLength = 8;
const edgeLength = 4;

export function redact(text: string, secrets: readonly string[]): string {
  const hidden = new Uint8Array(text.length);
  for (const secret of secrets) {
    if (secret.length < edgeLength) continue;
    const window = Math.min(fragmentLength, secret.length);
    const pieces = new Set<string>();
    for (let i = 0; i + window <= secret.length; i++) pieces.add(secret.slice(i, i + window));
    for (let i = 0; i + window <= text.length; i++) {
      if (pieces.has(text.slice(i, i + window))) hidden.fill(1, i, i + window);
    }
    // A cut at the end of the text keeps a prefix; at its start, a suffix.
    for (let length = Math.min(window - 1, text.length); length >= edgeLength; length--) {
      if (text.endsWith(secret.slice(0, length))) hidden.fill(1, text.length - length);
      if (text.startsWith(secret.slice(secret.length - length))) hidden.fill(1, 0, length);
    }
  }
  let result = '';
  for (let i = 0; i < text.length; i++) {
    if (hidden[i] === 0) result += text[i];
    else if (i === 0 || hidden[i - 1] === 0) result += '[redacted]';
  }
  return result;
}

/** The Alpaca keys of the environment, to redact from anything the CLI prints. */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return [env.APCA_API_KEY_ID, env.APCA_API_SECRET_KEY].filter((value): value is string => typeof value === 'string' && value !== '');
}
