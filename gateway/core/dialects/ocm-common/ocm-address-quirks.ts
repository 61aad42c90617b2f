/**
 * Lenient reading of OCM Addresses / cloud ids as real servers send them (legacy-protocols §3.1,
 * §5): Nextcloud puts the scheme inside (`bob@https://host/nc`). Full parsing lives in core/address.
 */
import type { WireReader } from './wire-reader.ts';

const SCHEME_AFTER_AT = /^(.*)@(https?):\/\/(.+)$/i;

/**
 * Checks `identifier@host` (split on the last `@`), strips a scheme after the `@` (a quirk), and in
 * strict mode for I-D-era dialects refuses a path after the host. Returns undefined when refused.
 */
export function readOcmAddress(
  reader: WireReader,
  value: string,
  field: string,
  options: { readonly withoutPath: boolean },
): string | undefined {
  let address = value;
  const schemed = SCHEME_AFTER_AT.exec(address);
  if (schemed !== null) {
    reader.quirk(
      field,
      'carries a URL scheme after the @ (Nextcloud style); the scheme was removed',
    );
    address = `${schemed[1] ?? ''}@${(schemed[3] ?? '').replace(/\/+$/, '')}`;
  }
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) {
    reader.issue(field, 'must be an address of the form identifier@host');
    return undefined;
  }
  const host = address.slice(at + 1);
  if (/\s/.test(host)) {
    reader.issue(field, 'must not contain spaces in the host part');
    return undefined;
  }
  if (options.withoutPath && host.includes('/')) {
    reader.quirk(field, 'must not carry a path after the host (OCM Address)');
  }
  return address;
}
