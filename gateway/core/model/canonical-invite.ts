/** The canonical invite acceptance (POST <endPoint>/invite-accepted; v1.1 and pre-1.2 → I-D-05). */

export interface CanonicalInviteAcceptance {
  /** FQDN (`receiver.org[:port]`) of the invitee's server; v1.1 sent a URL, see recipientProviderUrl. */
  readonly recipientProvider: string;
  /** The URL form, when the peer sent one (v1.1); lets us answer in kind. */
  readonly recipientProviderUrl?: string;
  readonly token: string;
  /** The invitee's id at their server (note the capital ID on the wire). */
  readonly userID: string;
  readonly email: string;
  readonly name: string;
}

/** The 200 answer: who the inviting user is. All three required from pre-1.2 on. */
export interface CanonicalInviteAcceptedReply {
  readonly userID: string;
  readonly email: string;
  readonly name: string;
}
