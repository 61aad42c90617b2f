/**
 * The error answers legacy receivers give, with their exact messages (legacy-protocols.md
 * §1.3–1.9, legacy-*.json fixtures), so the facade answers the backend the way a real peer would.
 */
import type { ValidationIssue } from '../../errors/validation-issue.ts';

export interface OcsErrorAnswer {
  readonly statuscode: number;
  readonly message: string | null;
}

export const OCS_ERRORS = {
  federationDisabled: {
    statuscode: 503,
    message: 'Server does not support federated cloud sharing',
  },
  invalidMountpointName: {
    statuscode: 400,
    message: 'The mountpoint name contains invalid characters.',
  },
  /** Spelling of ownCloud 9.x / Nextcloud; ownCloud 10.1+ says "User does not exist". */
  userDoesNotExist: { statuscode: 400, message: 'User does not exists' },
  /** ownCloud 10.1+ says "Required parameters are missing: …". */
  missingParameter: {
    statuscode: 400,
    message: 'server can not add remote share, missing parameter',
  },
  /** ownCloud 10.1+ refuses tokens over 128 characters. */
  tokenTooLong: { statuscode: 400, message: 'Token too long' },
  /** move: no share with this id and token. */
  shareNotFoundOrTokenInvalid: { statuscode: 400, message: 'Share not found or token invalid' },
  /** ownCloud 10.1+ accept/decline with a wrong token. */
  secretMismatch: { statuscode: 403, message: 'The secret does not match' },
  /** reshare back to the owner. */
  reshareToOwnerForbidden: { statuscode: 403, message: null },
  /** reshare/permissions/revoke with a bad token or id, no share permission. */
  badRequest: { statuscode: 400, message: null },
  /** reshare of an unknown id (Nextcloud 12/13). */
  notFound: { statuscode: 404, message: null },
} as const satisfies Record<string, OcsErrorAnswer>;

/** createShare storage/db failure; `remote` as the sender gave it. */
export function ocsAddShareFailed(remote: string): OcsErrorAnswer {
  return {
    statuscode: 500,
    message: `internal server error, was not able to add share from ${remote}`,
  };
}

/** ownCloud 10.1+ accept/decline of an unknown id (410 Gone). */
export function ocsShareDoesNotExist(id: string): OcsErrorAnswer {
  return { statuscode: 410, message: `Share with id ${id} does not exist` };
}

/** The answer a legacy receiver gives to a createShare the codec refused. */
export function ocsCreateShareErrorFor(issues: readonly ValidationIssue[]): OcsErrorAnswer {
  const badName = issues.some((i) => i.field === 'name' && i.message.includes('mountpoint name'));
  return badName ? OCS_ERRORS.invalidMountpointName : OCS_ERRORS.missingParameter;
}
