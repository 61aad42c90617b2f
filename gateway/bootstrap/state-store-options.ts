/** Where the configuration says state lives, as createStores takes it (the ledger key aside). */
import type { GatewayConfig } from '../../config/gateway-config.ts';
import type { CreateStoresOptions } from '../../adapters/create-stores.ts';

export type StateStoreOptions = Pick<
  CreateStoresOptions,
  'redis' | 'keyPrefix' | 'ledgerDurability' | 'dataDir' | 'previousSecretKeys'
>;

export function stateStoreOptions(config: GatewayConfig): StateStoreOptions {
  const { state } = config;
  return {
    redis: state.kind === 'redis' ? state.connection : undefined,
    keyPrefix: state.kind === 'redis' ? state.keyPrefix : 'ocmgw:',
    ledgerDurability: state.kind === 'redis' ? state.ledgerDurability : undefined,
    dataDir: state.dataDir,
    previousSecretKeys: config.ledgerPreviousKeys,
  };
}
