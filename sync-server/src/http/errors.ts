// HTTP errors with [E1] bodies: a stable kebab-case code and a sentence a person can act on.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
