/** The baseline's activity: nothing at all. */
export async function noop(): Promise<void> {}
