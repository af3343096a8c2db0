import * as pulumi from "@pulumi/pulumi";
import { GlobalConfig } from "./global-config";

/**
 * The global role: the stack above the regions. It reads the primary's and the standby's Gateway
 * addresses through StackReferences; the failover records, health checks and the drill knob that
 * route between them are the disaster-recovery work's components and land here with it.
 */
export function global(config: GlobalConfig): Record<string, unknown> {
    const regions = Object.fromEntries(
        (["primary", "standby"] as const).map((role) => {
            const ref = new pulumi.StackReference(`${role}-${config[role]}`, { name: config[role] });
            return [role, { stack: config[role], region: ref.requireOutput("region"), gateway: ref.requireOutput(config.cloud === "aws" ? "gatewayHostname" : "gatewayAddress") }];
        }),
    );
    return { domain: config.domain, ...regions };
}
