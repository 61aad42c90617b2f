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
