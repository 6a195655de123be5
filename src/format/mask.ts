/** Replaces every occurrence of the given secret texts (longest first) with `****`, and counts them. */
export function maskSecrets(text: string, secrets: readonly string[]): { text: string; masked: number } {
  let masked = 0;
  let out = text;
  // Callers pass the secrets longest first, so that a value containing another is masked whole.
  for (const secret of secrets) {
    if (secret === '' || !out.includes(secret)) continue;
    const parts = out.split(secret);
    masked += parts.length - 1;
    out = parts.join(MASK);
  }
  return { text: out, masked };
}

export const MASK = '****';
