/**
 * True for the caller's own abort (Ctrl-C), which must propagate untouched. In its own module so
 * that the CLI's start-up does not load the Azure SDK's HTTP pipeline to recognise a cancellation.
 */
export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (error instanceof Error && error.name === 'AbortError');
}
