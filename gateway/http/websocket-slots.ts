/** Open WebSocket tunnels counted in all and per client address, against the live limits. */

export type SlotRefusal = 'too-many-tunnels' | 'too-many-from-address';

export class WebSocketSlots {
  #open = 0;
  readonly #byAddress = new Map<string, number>();

  /** Tunnels open now in all, and from `address`. */
  count(address?: string): number {
    return address === undefined ? this.#open : (this.#byAddress.get(address) ?? 0);
  }

  /** Takes a slot for `address`, or says which limit refuses it (nothing is taken then). */
  take(address: string, total: number, perAddress: number): SlotRefusal | undefined {
    if (this.#open >= total) return 'too-many-tunnels';
    const mine = this.#byAddress.get(address) ?? 0;
    if (mine >= perAddress) return 'too-many-from-address';
    this.#open += 1;
    this.#byAddress.set(address, mine + 1);
    return undefined;
  }

  /** Gives back a slot `take` gave; an address with none left is forgotten. */
  release(address: string): void {
    const mine = this.#byAddress.get(address) ?? 0;
    if (mine === 0) return;
    this.#open -= 1;
    if (mine > 1) this.#byAddress.set(address, mine - 1);
    else this.#byAddress.delete(address);
  }
}
