/**
 * `paved-road/gcp`: the cloud-neutral components and the GCP ones. It never loads @pulumi/aws, and
 * its declarations never mention it, so a GCP-only team installs no AWS SDK.
 */
export * from "./common";
export * from "./components/gcp";
