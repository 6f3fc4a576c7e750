/**
 * A proof that cannot run or cannot finish for a reason the user can act on (Go missing, a module
 * the proxy does not serve, a port taken, an API server that does not come up): printed as its
 * message, without a stack trace, and the run exits non-zero.
 */
export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProofError';
  }
}
