/**
 * Thrown by the boot.cfg parser and writer. The message always names the line (and the
 * key when there is one) so that an operator can open the file and fix it.
 */
export class BootCfgError extends Error {
  override readonly name = 'BootCfgError';

  constructor(
    message: string,
    readonly line?: number,
    readonly key?: string,
  ) {
    super(message);
  }
}
