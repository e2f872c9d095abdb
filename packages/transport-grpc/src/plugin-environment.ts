/** Why the engine runs the tool: a real run, or a metadata refresh where only the constructor runs. */
export type UpdateMode = 'run' | 'full' | 'quick';

/**
 * What the engine tells the plugin about the run (`AMPEnvironmentV2`), from the engine constants and the
 * update mode of `PluginInitializationData`. Frozen.
 */
export interface PluginEnvironment {
  /** `run` for a workflow run; `full`/`quick` for a metadata refresh. */
  readonly updateMode: UpdateMode;
  /** True in `full`/`quick` mode: only the constructor runs, so push metadata there. */
  readonly updateOnly: boolean;
  /** `Engine.Version`. */
  readonly designerVersion: string;
  /** `AlteryxExecutable`: the engine's install directory. */
  readonly alteryxInstallDir: string;
  /** `Engine.WorkflowDirectory`. */
  readonly workflowDir: string;
  /** `Engine.TempFilePath`: where the tool may write temporary files. */
  readonly tempDir: string;
  /** `ToolId`; 0 when the engine does not send it. */
  readonly toolId: number;
  /** `WorkflowRunGuid`; `""` when absent. */
  readonly workflowRunGuid: string;
  /** `ProxyConfiguration` parsed from its `key=value` lines; empty when absent. */
  readonly proxyConfiguration: Readonly<Record<string, string>>;
  /** `Engine.Locale` when the engine sends it, else `"en"`. */
  readonly alteryxLocale: string;
  /** Every engine constant as received, including the ones above. */
  readonly engineConstants: Readonly<Record<string, string>>;
}
