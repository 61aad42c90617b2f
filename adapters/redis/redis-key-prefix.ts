/**
 * Every Redis key starts with the configured prefix. Braces are refused: the adapters place their
 * own hash tags ({ledger}, {cap}) and a brace in the prefix would become the tag instead.
 */
export function checkKeyPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(prefix)) {
    throw new RangeError('the Redis key prefix must be 1-64 letters, digits or : _ . -');
  }
  return prefix;
}

/**
 * A caller's text inside a key without braces, so it can never become a Cluster hash tag (a peer
 * choosing `{x}` in a nonce or rate key would pin keys to the slot of its choice). Injective:
 * % { } become %25 %7B %7D; text without them is unchanged.
 */
export function clusterSafeKeyPart(text: string): string {
  return /[%{}]/.test(text)
    ? text.replaceAll('%', '%25').replaceAll('{', '%7B').replaceAll('}', '%7D')
    : text;
}
