/** A request the host understood and declines; the HTTP layer turns it into a 4xx answer. */
export class Refusal extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 415 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
