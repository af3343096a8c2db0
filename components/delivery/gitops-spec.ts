import { Problems, show } from "../validation";

/** Where the cluster's desired state lives. */
export interface GitSource {
    /** https or ssh URL, e.g. "https://github.com/acme/platform-apps.git". */
    readonly repoUrl: string;
    /** Directory of the root "app of apps", e.g. "clusters/dev". */
    readonly path: string;
    /**
     * Branch, tag or commit.
     * @default "main"
     */
    readonly revision?: string;
}

/** Single sign-on through OIDC; the client secret is a key of a Vault-synced Secret, never a value. */
export interface SsoConfig {
    readonly issuer: string;
    readonly clientId: string;
    /** The Secret (labelled app.kubernetes.io/part-of=argocd) and key holding the client secret. */
    readonly clientSecretRef: { readonly secretName: string; readonly key: string };
}

const HTTPS_URL = /^https:\/\/[^\s/]+\/\S+$/;
const SSH_URL = /^(ssh:\/\/[^\s@]+@[^\s/]+(:\d+)?\/\S+|[\w.-]+@[\w.-]+:[\w./-]+)$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function isRepoUrl(value: unknown): value is string {
    return typeof value === "string" && (HTTPS_URL.test(value) || SSH_URL.test(value));
}

export function isDnsName(value: unknown): value is string {
    return typeof value === "string" && DNS_NAME.test(value);
}

export function gitSourceProblems(source: GitSource, path = "source"): Problems {
    const problems = new Problems();
    problems.check(
        isRepoUrl(source.repoUrl),
        `${path}.repoUrl`,
        `got ${show(source.repoUrl)}: Argo CD reads Git over https or ssh, e.g. "https://github.com/acme/platform-apps.git" or "git@github.com:acme/platform-apps.git"`,
    );
    problems.check(
        typeof source.path === "string" && source.path !== "" && !source.path.startsWith("/") && !source.path.split("/").includes(".."),
        `${path}.path`,
        `got ${show(source.path)}: a directory inside the repository, e.g. "clusters/dev"`,
    );
    problems.check(source.revision === undefined || (typeof source.revision === "string" && source.revision.trim() !== ""), `${path}.revision`, `got ${show(source.revision)}: a branch, tag or commit, e.g. "main"`);
    return problems;
}
