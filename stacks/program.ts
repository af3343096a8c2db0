import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { loadStackConfig } from "./config";
import { regional } from "./regional";

/** The SDK knows which config keys are secret but keeps the check internal; errors must not print them. */
function isConfigSecret(key: string): boolean {
    const check = (runtimeConfig as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    return check ? check(key) : true;
}

/** The one stack program: reads and validates all config first, then builds the stack's role. */
export function program(): Promise<Record<string, unknown>> {
    const config = loadStackConfig(pulumi.runtime.allConfig(), { stack: pulumi.getStack(), isSecret: isConfigSecret });
    switch (config.role) {
        case "regional":
            return Promise.resolve(regional(config));
    }
}
