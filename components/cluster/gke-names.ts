// GCP naming rules, apart from the GKE component so that code shared by both clouds can use them without loading @pulumi/gcp.

/**
 * A valid service-account ID from a resource name: GCP wants 6-30 characters of lowercase letters,
 * digits and "-", starting with a letter and not ending with "-".
 */
export function serviceAccountId(name: string): string {
    let id = name.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    if (!/^[a-z]/.test(id)) id = `sa-${id}`;
    id = id.slice(0, 30).replace(/-+$/, "");
    return id.padEnd(6, "0");
}
