/** Dialect ids an operator may force for the backend or a peer: exactly the core's dialect list (DESIGN §2). */
import { DIALECTS, type DialectId } from '../gateway/core/model/dialect-id.ts';

export const DIALECT_CHOICES = DIALECTS;

export type DialectChoice = DialectId;
