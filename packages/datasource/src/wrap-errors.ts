import { isRetryableError } from './errors/datasource-error';
import { type ErrorPhase, NormalizedSourceError } from './errors/normalized-source-error';

/** Panoply's internal error codes and their descriptions (`ERROR_CODES_REGISTRY`). */
export const ERROR_CODE_DESCRIPTIONS: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Permissions error',
  404: 'Resource is not found',
  408: 'Timeout',
  422: 'Parsing error',
  429: 'Rate limit',
  500: 'Internal exception',
  501: 'Unclassified error',
  506: 'SDK error in processing an error',
});

const UNCLASSIFIED_CODE = 501;
const SDK_ERROR_CODE = 506;

// Keyed by the exact constructor: Panoply looks up `type(e)`, so subclasses are deliberately not matched.
const internalCodeRegistry = new Map<unknown, number>();

/** Any class whose instances can be thrown. */
// biome-ignore lint/suspicious/noExplicitAny: a constructor type must accept any argument list
export type ErrorClass = abstract new (...args: any[]) => unknown;

/**
 * Class decorator (also callable as a function) registering the Panoply internal code of an error
 * class (`set_internal_code`). Lookup is by exact class: a subclass needs its own registration.
 */
export function setInternalCode(internalCode: number) {
  return <T extends ErrorClass>(errorClass: T, _context?: ClassDecoratorContext<T>): T => {
    internalCodeRegistry.set(errorClass, internalCode);
    return errorClass;
  };
}

/**
 * Turns any error into a {@link NormalizedSourceError} for `phase`. An error that already is one only
 * gets its phase rewritten (so nested wrappers leave the outermost phase). Others get the code
 * registered for their exact class, 501 when none is, 506 when that code is unknown or the source
 * lacks `type`, `id` or `database` (Panoply would crash with a `KeyError` there).
 */
export function normalizeError(error: unknown, phase: ErrorPhase, source: unknown): NormalizedSourceError {
  if (NormalizedSourceError.isInstance(error)) {
    error.phase = phase;
    return error;
  }
  const errorClass = typeof error === 'object' && error !== null ? error.constructor : undefined;
  let internalCode = internalCodeRegistry.get(errorClass) ?? UNCLASSIFIED_CODE;
  if (ERROR_CODE_DESCRIPTIONS[internalCode] === undefined) internalCode = SDK_ERROR_CODE;
  const record = (typeof source === 'object' && source !== null ? source : {}) as Record<string, unknown>;
  if (!('type' in record) || !('id' in record) || !('database' in record)) internalCode = SDK_ERROR_CODE;
  return new NormalizedSourceError(
    {
      message: error instanceof Error ? error.message : String(error),
      internalCode,
      exceptionClass: typeof errorClass === 'function' ? errorClass.name : typeof error,
      phase,
      sourceType: record.type,
      sourceId: record.id,
      databaseId: record.database,
      cause: error,
    },
    isRetryableError(error),
  );
}

/**
 * Method decorator (`wrap_errors`) rethrowing every error of the method as a
 * {@link NormalizedSourceError} for `phase`. Works on sync and async methods. The source comes from
 * `this.source` when the instance has one, else from the first argument.
 */
export function wrapErrors(phase: ErrorPhase) {
  return <This, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => Return,
    _context?: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): ((this: This, ...args: Args) => Return) => {
    return function wrapped(this: This, ...args: Args): Return {
      const sourceOf = (): unknown =>
        typeof this === 'object' && this !== null && 'source' in this
          ? (this as { source: unknown }).source
          : args[0];
      let result: Return;
      try {
        result = method.apply(this, args);
      } catch (error) {
        throw normalizeError(error, phase, sourceOf());
      }
      if (result instanceof Promise) {
        return result.catch((error: unknown) => {
          throw normalizeError(error, phase, sourceOf());
        }) as Return;
      }
      return result;
    };
  };
}
