/** Parameter types understood by validation and the command line. Others are accepted as strings. */
export type ParamType =
  | 'string'
  | 'password'
  | 'number'
  | 'boolean'
  | 'list'
  | 'oauth'
  | 'destination'
  | (string & {});

/** One choice of a `list` parameter. */
export interface ParamValue {
  readonly name: string;
  readonly value: string | number | boolean;
}

/** One entry of `CONFIG.params` (Panoply keys, plus `secret`). */
export interface ParamDefinition {
  /** Key in the `source` object, and the `--name` flag on the command line. */
  readonly name: string;
  readonly title?: string;
  readonly placeholder?: string;
  readonly help?: string;
  readonly description?: string;
  /** Defaults to `'string'`. `number` and `boolean` values are coerced from command-line strings. */
  readonly type?: ParamType;
  /** Never logged or echoed in errors. `type: 'password'` and `type: 'oauth'` imply it. */
  readonly secret?: boolean;
  /** A missing required parameter (and no `default`) fails validation. Defaults to `false`. */
  readonly required?: boolean;
  /** Used when the parameter is missing. */
  readonly default?: unknown;
  /** Allowed values of a `list` parameter; other values fail validation. */
  readonly values?: readonly ParamValue[];
  readonly category?: string;
  readonly link?: string;
  readonly dependencies?: readonly string[];
}

/** A data source module's `CONFIG` export. */
export interface DataSourceConfig {
  readonly title: string;
  /** Usually a data URL. */
  readonly icon?: string;
  readonly params: readonly ParamDefinition[];
  /**
   * The runner options (`DataSource.options`) this source understands, declared like params; a
   * `name` may be a dotted path (`refresh.client_id`). When declared, the runner validates options
   * against them (types, `required`, `values`, defaults, and unknown keys are refused) and masks the
   * secret ones in its log. Optional: without it any option is passed through (see
   * `validateSourceOptions`).
   */
  readonly options?: readonly ParamDefinition[];
  readonly categories?: readonly string[];
  readonly keywords?: readonly string[];
}
