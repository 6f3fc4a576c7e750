/** A product the harness cannot start or prove, said so that the reader knows what to fix. */
export class HarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessError';
  }
}
