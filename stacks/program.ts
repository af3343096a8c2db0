import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
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

/** Stacks of this repository: those with a Pulumi.<stack>.yaml beside Pulumi.yaml. */
function stackExists(stack: string): boolean {
    const root = fs.existsSync(path.resolve(__dirname, "..", "Pulumi.yaml")) ? path.resolve(__dirname, "..") : process.cwd();
    return fs.existsSync(path.join(root, `Pulumi.${stack}.yaml`));
}

/** The one stack program: reads and validates all config first, then builds the stack's role. */
export function program(): Promise<Record<string, unknown>> {
    const allConfig = pulumi.runtime.allConfig();
    const options = { stack: pulumi.getStack(), isSecret: isConfigSecret };
    if (allConfig["paved:role"] === "preview") return Promise.resolve(preview(loadPreviewConfig(allConfig, { ...options, stackExists })));
    if (allConfig["paved:role"] === "global") return Promise.resolve(global(loadGlobalConfig(allConfig, { ...options, stackExists })));
    if (allConfig["paved:role"] === "local") return Promise.resolve(local(loadLocalConfig(allConfig, options)));
    return Promise.resolve(regional(loadStackConfig(allConfig, options)));
}
