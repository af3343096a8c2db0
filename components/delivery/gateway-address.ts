import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { statusOf } from "../custom-resource";

type GatewayStatus = { addresses?: { type?: string; value: string }[] };

/** The address a Gateway's load balancer publishes: a "Hostname" on AWS, an "IPAddress" on GCP. */
export function gatewayAddress(gateway: k8s.apiextensions.CustomResource, type: "Hostname" | "IPAddress"): pulumi.Output<string | undefined> {
    return statusOf<GatewayStatus>(gateway).apply((s) => s?.addresses?.find((a) => a.type === type)?.value);
}
