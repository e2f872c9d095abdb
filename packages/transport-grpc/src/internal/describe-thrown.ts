/** A thrown value as one line for an error message: `Name: message` for Errors, else its string form. */
export function describeThrown(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
