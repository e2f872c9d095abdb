/**
 * Query parameter values of an HTTP request. `undefined` and `null` values are left out (an absent
 * page token must not be sent as `page_token=null`); the others are sent with `String(value)`.
 */
export type QueryParams = Record<string, string | number | boolean | null | undefined>;
