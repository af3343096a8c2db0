import { validatedManifest } from "../custom-resource";
import { ARGOCD_NAMESPACE, IN_CLUSTER, SYNC_POLICY } from "../delivery/argocd-manifests";
import { FleetSource, STACKS_NAMESPACE } from "./fleet-spec";

/** Where the rendered Stack objects are in the stacks' repository (written by `npm run render:fleet`). */
export const FLEET_MANIFESTS_PATH = "deploy/fleet";
export const FLEET_PROJECT = "fleet";
/** The platform's sync policy, without creating namespaces: the fleet's project may create nothing outside its own. */
export const FLEET_SYNC_POLICY = { ...SYNC_POLICY, syncOptions: SYNC_POLICY.syncOptions.filter((o) => !o.startsWith("CreateNamespace")) };

/**
 * The fleet's own AppProject: only the stacks' repository as source, only Stack objects, only into
 * the stacks' namespace. Argo CD can create or delete a Stack object there, and nothing else.
 */
export async function fleetProject(source: FleetSource): Promise<Record<string, unknown>> {
    const { AppProject } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject");
    return validatedManifest(new AppProject({
        metadata: { name: FLEET_PROJECT, namespace: ARGOCD_NAMESPACE },
        spec: {
            description: "Stack objects of the Pulumi Kubernetes Operator, rendered from the Pulumi.<stack>.yaml files (managed by paved-road)",
            sourceRepos: [source.repoUrl],
            destinations: [{ server: IN_CLUSTER, namespace: STACKS_NAMESPACE }],
            clusterResourceWhitelist: [],
            namespaceResourceWhitelist: [{ group: "pulumi.com", kind: "Stack" }],
            orphanedResources: { warn: true },
        },
    }));
}

/**
 * What Argo CD leaves alone on a Stack object: the operator's status, and `paved`'s pause of its
 * reconciliation (PKO v2.9.0 has no pause: `paved` turns spec.preview on and notes it in the
 * annotation paved.io/paused, automation/driver/operator-kubectl.ts). Self-heal would otherwise undo
 * a drill's pause within seconds. The price: with RespectIgnoreDifferences, a change of a stack's
 * preview-only setting in Git reaches its existing Stack object only when the object is re-created
 * (safe: destroyOnFinalize is off).
 */
export const PAUSE_POINTERS = ["/status", "/spec/preview", "/metadata/annotations/paved.io~1paused"];

/**
 * The Application that owns the Stack objects: Argo CD keeps them equal to Git (self-heal reverts a
 * hand edit, prune removes the object of a stack that is no longer operator-owned; its
 * destroyOnFinalize is off, so that removes nothing in the cloud). PAUSE_POINTERS are left out of the diff.
 */
export async function fleetApplication(source: FleetSource): Promise<Record<string, unknown>> {
    const { Application } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application");
    return validatedManifest(new Application({
        metadata: { name: "fleet-stacks", namespace: ARGOCD_NAMESPACE, finalizers: ["resources-finalizer.argocd.argoproj.io"] },
        spec: {
            project: FLEET_PROJECT,
            source: { repoURL: source.repoUrl, path: source.repoDir ? `${source.repoDir}/${FLEET_MANIFESTS_PATH}` : FLEET_MANIFESTS_PATH, targetRevision: source.branch },
            destination: { server: IN_CLUSTER, namespace: STACKS_NAMESPACE },
            syncPolicy: FLEET_SYNC_POLICY,
            ignoreDifferences: [{ group: "pulumi.com", kind: "Stack", jsonPointers: PAUSE_POINTERS }],
        },
    }));
}
