/**
 * Keeping secrets (the bot token, the OpenAI key) out of logs, errors and chat replies:
 * every text that may carry one passes through `scrubSecrets` before it leaves.
 */

/** What a secret is replaced with. */
export const REDACTED = "[REDACTED]";

/** Every variant of the secrets that could show up in a text: whole, secret half of a bot token, URL-encoded. */
export function secretVariants(secrets: ReadonlyArray<string | null | undefined>): string[] {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    const colon = secret.indexOf(":");
    if (colon > 0 && secret.length - colon > 8) variants.add(secret.slice(colon + 1));
  }
  // Longest first, so the whole token is replaced before its halves.
  return [...variants].filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
}

/** Removes the given secrets, and anything shaped like an OpenAI key (a server may echo one back), from a text. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const variant of secretVariants(secrets)) out = out.split(variant).join(REDACTED);
  return out.replace(/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED);
}
