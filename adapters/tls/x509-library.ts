/**
 * @peculiar/x509 bound to node's WebCrypto. Import the library only through this file: it needs
 * the reflect-metadata polyfill loaded before it, and a crypto provider set once.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
