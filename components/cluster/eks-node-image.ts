import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import { AMI_TYPES, AmiType, poolArchitecture } from "./architecture";
import { releaseVersionParameter } from "./node-release";

/** The AL2023 AMI type for a pool's instance types: ARM64 for Graviton, x86_64 otherwise. */
export function amiTypeFor(instanceTypes: readonly string[]): AmiType {
    return AMI_TYPES[poolArchitecture("aws", instanceTypes)];
}

/**
 * The AMI release a node group pins: the pinned one, or AWS's recommended release for the Kubernetes
 * version and the AMI type's architecture, read from its public SSM parameter at each deployment.
 */
export function nodeReleaseVersion(
    kubernetesVersion: string,
    amiType: AmiType,
    pinned: string | undefined,
    opts: pulumi.InvokeOutputOptions,
): pulumi.Output<string> {
    if (pinned !== undefined) return pulumi.output(pinned);
    // The provider marks parameter values secret; this public parameter is not one.
    return pulumi.unsecret(ssm.getParameterOutput({ name: releaseVersionParameter(kubernetesVersion, amiType) }, opts).value);
}
