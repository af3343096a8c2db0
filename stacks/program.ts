import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { readStackConfig } from "../automation/offline/stack-file";
import { loadStackConfig } from "./config";
import { global } from "./global";
import { loadGlobalConfig } from "./global-config";
import { local } from "./local";
import { loadLocalConfig } from "./local-config";
import { preview } from "./preview";
import { loadPreviewConfig } from "./preview-config";
import { regional } from "./regional";

/** The SDK knows which config keys are secret but keeps the check internal; errors must not print them. */
function isConfigSecret(key: string): boolean {
    const check = (runtimeConfig as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    return check ? check(key) : true;
}

/** The project folder: beside the sources, or (built into dist/) where Pulumi runs the program. */
function projectRoot(): string {
    return fs.existsSync(path.resolve(__dirname, "..", "Pulumi.yaml")) ? path.resolve(__dirname, "..") : process.cwd();
}

/** Stacks of this repository: those with a Pulumi.<stack>.yaml beside Pulumi.yaml. */
function stackExists(stack: string): boolean {
    return fs.existsSync(path.join(projectRoot(), `Pulumi.${stack}.yaml`));
}

/** Another stack's config as its file declares it, for the global role's checks of its regions. */
function peerConfig(stack: string): Record<string, string> | undefined {
    return stackExists(stack) ? readStackConfig(projectRoot(), stack).config : undefined;
}

/** The one stack program: reads and validates all config first, then builds the stack's role. */
export function program(): Promise<Record<string, unknown>> {
    const allConfig = pulumi.runtime.allConfig();
    const options = { stack: pulumi.getStack(), isSecret: isConfigSecret };
    if (allConfig["paved:role"] === "preview") return Promise.resolve(preview(loadPreviewConfig(allConfig, { ...options, stackExists, peerConfig })));
    if (allConfig["paved:role"] === "global") return Promise.resolve(global(loadGlobalConfig(allConfig, { ...options, peerConfig })));
    if (allConfig["paved:role"] === "local") return Promise.resolve(local(loadLocalConfig(allConfig, options)));
    return Promise.resolve(regional(loadStackConfig(allConfig, options), projectRoot()));
}
