/** Dialect ids an operator may force for the backend or a peer (DESIGN §2). */
export const DIALECT_CHOICES = [
  'ocs-v1',
  'ocs-v2',
  'ocm-proposal1',
  'ocm-1.0',
  'ocm-1.1',
  'ocm-1.2',
  'ocm-1.3',
] as const;

export type DialectChoice = (typeof DIALECT_CHOICES)[number];
