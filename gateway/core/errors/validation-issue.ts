/** One reason an input was refused: which field (dotted path) and why, in words a peer's admin understands. */
export interface ValidationIssue {
  readonly field: string;
  readonly message: string;
}
