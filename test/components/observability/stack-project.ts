import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "../../harness";

export const web = { app: "web", namespace: "shop", image: "ghcr.io/acme/web:1.4.2", hostname: "shop.dev.example.com" };

/** A project folder holding Pulumi.yaml and one stack: dev's file with its canary changed. */
export function projectWithCanary(stack: string, canary: Record<string, unknown>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-tracing-"));
    fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const file = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, { canaries: unknown[] }> };
    file.config["paved:delivery"].canaries = [{ ...web, ...canary }];
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify(file));
    return dir;
}

