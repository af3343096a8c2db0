import { RecordedResource } from "../offline/recorder";

/**
 * The longest chain of resources that must be created one after another: each waits for its
 * dependencies and its provider, and depending on a component means waiting for every resource
 * inside it. This is the floor on how long a first `pulumi up` of the stack can take, whatever the parallelism.
 */
export function criticalPath(resources: readonly RecordedResource[]): RecordedResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, RecordedResource[]>();
    for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const customsUnder = (urn: string): RecordedResource[] => {
        const self = byUrn.get(urn);
        if (self?.custom) return [self];
        return (children.get(urn) ?? []).flatMap((c) => customsUnder(c.urn));
    };
    // Providers are resources too: a Kubernetes provider waits for the cluster's nodes, and everything
    // deployed through it waits for the provider.
    const nodes = resources.filter((r) => r.custom);
    const providerOf = (r: RecordedResource) => (r.provider ? [r.provider.split("::").slice(0, -1).join("::")] : []);
    const waitsFor = new Map(
        nodes.map((r) => [r.urn, [...new Set([...r.dependencies, ...providerOf(r)].flatMap(customsUnder))].filter((d) => d.urn !== r.urn)]),
    );

    // Longest path in a DAG by memoised depth-first search.
    const best = new Map<string, RecordedResource[]>();
    const visiting = new Set<string>();
    const longestTo = (r: RecordedResource): RecordedResource[] => {
        const known = best.get(r.urn);
        if (known) return known;
        if (visiting.has(r.urn)) throw new Error(`dependency cycle through ${r.urn}`);
        visiting.add(r.urn);
        let longest: RecordedResource[] = [];
        for (const d of waitsFor.get(r.urn) ?? []) longest = longer(longest, longestTo(d));
        visiting.delete(r.urn);
        const result = [...longest, r];
        best.set(r.urn, result);
        return result;
    };
    return nodes.map(longestTo).reduce(longer, []);
}

/**
 * The longer chain; of two as long, the one whose URNs sort first. Resources register in an order
 * that depends on timing (a module already loaded, a worker's first stack), so ties are broken on
 * the chains alone: a stack's critical path is the same planned alone, after others, or in a worker.
 */
function longer(a: RecordedResource[], b: RecordedResource[]): RecordedResource[] {
    if (a.length !== b.length) return b.length > a.length ? b : a;
    const differ = a.findIndex((r, i) => r.urn !== b[i].urn);
    return differ >= 0 && b[differ].urn < a[differ].urn ? b : a;
}
