/** The canonical OCM error body (`Error` / 400 `{message, validationErrors[{name, message}]}`, v1.0 → I-D-05). */

export interface OcmValidationError {
  /** The field at fault, e.g. `shareWith`. */
  readonly name: string;
  /** Why, e.g. `NOT_FOUND`. */
  readonly message: string;
}

export interface CanonicalError {
  readonly message: string;
  readonly validationErrors: readonly OcmValidationError[];
}
