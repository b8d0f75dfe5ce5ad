// Domain errors as data: a stable kebab-case code plus a sentence a person can act on [E1].
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const fail = (code: string, message: string, details?: unknown): never => {
  throw new DomainError(code, message, details);
};
