import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { precompiledValidator, validateWith } from "./model-validation/precompiled";

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
        // Declared so the live object's status (e.g. a Gateway's address) becomes an output.
        status: undefined,
    }, opts);
}

/** A custom resource's live `status`, as the cluster reports it. */
export function statusOf<T>(resource: k8s.apiextensions.CustomResource): pulumi.Output<T | undefined> {
    return (resource as unknown as { status: pulumi.Output<T | undefined> }).status;
}

/**
 * A @kubernetes-models object, validated against its schema, as the plain manifest Pulumi takes.
 * The kinds whose package would compile its schema at runtime (model-validators/) are checked by
 * their precompiled validator instead, exactly as model.validate() would check them.
 */
export function validatedManifest(model: { validate(): void; toJSON(): unknown }): Record<string, unknown> {
    const precompiled = precompiledValidator(model);
    if (precompiled) validateWith(precompiled, model);
    else model.validate();
    return model.toJSON() as Record<string, unknown>;
}
