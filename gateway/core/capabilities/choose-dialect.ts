/**
 * Dialect choice per peer (DESIGN §2, flow 4): the newest dialect both sides speak, unless the
 * operator forces one for that peer in config (`peers[].dialect`).
 */
import { dialectRank, type DialectId } from '../model/dialect-id.ts';

export interface DialectChoiceInput {
  /** What the peer's discovery shows it speaks. */
  readonly peer: readonly DialectId[];
  /** What this gateway is willing to speak. */
  readonly ours: readonly DialectId[];
  /** The operator's per-peer override, if any. */
  readonly override?: DialectId | undefined;
}

export type DialectChoice =
  | {
      readonly ok: true;
      readonly dialect: DialectId;
      readonly reason: 'override' | 'best-common';
      /** Set when an override names a dialect the peer did not advertise. */
      readonly warning?: string;
    }
  | {
      readonly ok: false;
      readonly reason: 'no-common' | 'override-unsupported';
      readonly message: string;
    };

export function chooseDialect(input: DialectChoiceInput): DialectChoice {
  const { peer, ours, override } = input;
  if (override !== undefined) {
    if (!ours.includes(override)) {
      return {
        ok: false,
        reason: 'override-unsupported',
        message: `the configured dialect ${override} is not one this gateway speaks (${ours.join(', ') || 'none'})`,
      };
    }
    return peer.includes(override)
      ? { ok: true, dialect: override, reason: 'override' }
      : {
          ok: true,
          dialect: override,
          reason: 'override',
          warning: `the configured dialect ${override} was not advertised by the peer (${peer.join(', ') || 'nothing'})`,
        };
  }
  let best: DialectId | undefined;
  for (const id of peer) {
    if (ours.includes(id) && (best === undefined || dialectRank(id) > dialectRank(best))) best = id;
  }
  if (best === undefined) {
    return {
      ok: false,
      reason: 'no-common',
      message: `no dialect in common: the peer speaks ${peer.join(', ') || 'nothing known'}, this gateway ${ours.join(', ') || 'nothing'}`,
    };
  }
  return { ok: true, dialect: best, reason: 'best-common' };
}
