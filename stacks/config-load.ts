import { StackConfig, loadStackConfig } from "./config";
import { GlobalConfig, loadGlobalConfig } from "./global-config";
import { LocalConfig, loadLocalConfig } from "./local-config";
import { PreviewConfig, loadPreviewConfig } from "./preview-config";

/** What a loader may look at besides the stack's own config: which keys are secret, and the other stacks of the repository. */
export interface ConfigSources {
    readonly stack: string;
    readonly isSecret?: (key: string) => boolean;
    /** Another stack's config as its `Pulumi.<stack>.yaml` declares it, or undefined when there is no such file. */
    readonly peerConfig: (stack: string) => Readonly<Record<string, string>> | undefined;
}

export type AnyStackConfig = StackConfig | GlobalConfig | PreviewConfig | LocalConfig;

/**
 * Reads and validates a stack's config with its role's loader; throws one `StackConfigError` listing
 * every problem. The same call for `pulumi up` (the program) and `paved plan` (before any resource).
 */
export function loadAnyStackConfig(allConfig: Readonly<Record<string, string>>, sources: ConfigSources): AnyStackConfig {
    const options = { stack: sources.stack, isSecret: sources.isSecret };
    const role = allConfig["paved:role"];
    if (role === "preview") return loadPreviewConfig(allConfig, { ...options, stackExists: (s) => sources.peerConfig(s) !== undefined, peerConfig: sources.peerConfig });
    if (role === "global") return loadGlobalConfig(allConfig, { ...options, peerConfig: sources.peerConfig });
    if (role === "local") return loadLocalConfig(allConfig, options);
    return loadStackConfig(allConfig, options);
}
