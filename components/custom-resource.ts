import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * A custom resource from a manifest that a @kubernetes-models class built and validated. Those
 * packages are ESM-only, so the manifest arrives as a promise; the type must be known now, because
 * it names the Pulumi resource.
 */
export function modelledCustomResource(
    name: string,
    type: { readonly apiVersion: string; readonly kind: string },
    manifest: Promise<Record<string, unknown>>,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(name, {
        apiVersion: type.apiVersion,
        kind: type.kind,
        metadata: manifest.then((m) => m.metadata as k8s.types.input.meta.v1.ObjectMeta),
        spec: manifest.then((m) => m.spec),
    }, opts);
}
