import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { expect } from "chai";
import { validatedManifest } from "../../components/custom-resource";
import { envoyGatewayClass, errorRateTemplate, httpRoute, rollout, sharedGateway } from "../../components/delivery";
import { healthRoute } from "../../components/delivery/health-endpoint";
import { PRECOMPILED_MODELS, declarationFiles, precompiledKinds } from "../../components/model-validation/generate-validators";
import { modelValidatorsDir, precompiledValidator } from "../../components/model-validation/precompiled";
import { REPO_ROOT } from "../harness";

interface Model {
    validate(): void;
    toJSON(): unknown;
}
type ModelClass = new (data: object) => Model;

async function modelClass(specifier: string): Promise<ModelClass> {
    return ((await import(specifier)) as Record<string, ModelClass>)[specifier.slice(specifier.lastIndexOf("/") + 1)];
}

/** What validating did: "valid", or the thrown error's class, message and ajv errors. */
function outcome(validate: () => void): unknown {
    try {
        validate();
        return "valid";
    } catch (err) {
        const { errors, message } = err as { errors?: unknown; message: string };
        return { type: (err as object).constructor.name, message, errors };
    }
}

const container = { name: "web", image: "ghcr.io/acme/web:1.4.2", ports: [{ name: "http", containerPort: 8080 }] };
const rolloutManifest = {
    metadata: { name: "web", namespace: "shop" },
    spec: {
        replicas: 3,
        selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
        template: { metadata: { labels: { "app.kubernetes.io/name": "web" } }, spec: { containers: [container] } },
        strategy: {
            canary: {
                stableService: "web-stable", canaryService: "web-canary", abortScaleDownDelaySeconds: 30,
                trafficRouting: { plugins: { "argoproj-labs/gatewayAPI": { httpRoute: "web", namespace: "shop" } } },
                steps: [{ setWeight: 5 }, { analysis: { templates: [{ templateName: "error-rate" }] } }, { setWeight: 100 }],
            },
        },
    },
};
const metric = { name: "error-ratio", interval: "1m", count: 5, failureLimit: 1, successCondition: "result[0] <= 0.01", provider: { prometheus: { address: "http://prometheus:9090", query: "sum(x)" } } };
const analysisTemplate = { metadata: { name: "error-rate", namespace: "shop" }, spec: { args: [{ name: "service" }], metrics: [metric] } };
const routeManifest = {
    metadata: { name: "web", namespace: "shop" },
    spec: {
        parentRefs: [{ name: "platform", namespace: "gateway" }],
        hostnames: ["shop.dev.example.com"],
        rules: [{ backendRefs: [{ name: "web-stable", port: 8080, weight: 100 }, { name: "web-canary", port: 8080, weight: 0 }] }],
    },
};
const listener = { name: "http", protocol: "HTTP", port: 80, hostname: "*.dev.example.com", allowedRoutes: { namespaces: { from: "All" } } };
const gateway = { metadata: { name: "platform", namespace: "gateway" }, spec: { gatewayClassName: "envoy", listeners: [listener] } };
const gatewayClass = { metadata: { name: "envoy" }, spec: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" } };

const withSpec = <T extends { spec: object }>(manifest: T, spec: object) => ({ ...manifest, spec: { ...manifest.spec, ...spec } });

/** Manifests of every kind we precompile, valid and not, the invalid ones across keywords, formats and the nullable-$ref filtering. */
const CASES: Record<string, { valid: object[]; invalid: object[] }> = {
    "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout": {
        valid: [rolloutManifest, { ...rolloutManifest, metadata: null }, { ...rolloutManifest, metadata: { name: "web", creationTimestamp: "2026-12-03T10:00:00Z", labels: { a: "b" } } }],
        invalid: [
            withSpec(rolloutManifest, { replicas: "3" }),
            withSpec(rolloutManifest, { replicas: 2 ** 31 }),
            { ...rolloutManifest, metadata: { name: 5 } },
            { ...rolloutManifest, metadata: { name: "web", creationTimestamp: "yesterday" } },
            { metadata: { name: "web" } },
            { ...rolloutManifest, kind: "Deployment" },
            withSpec(rolloutManifest, { template: { spec: { containers: [{ image: "x", ports: [{ containerPort: "http" }] }] } } }),
            withSpec(rolloutManifest, { strategy: { canary: { steps: [{ setWeight: "5" }], maxSurge: true } }, minReadySeconds: -1.5 }),
        ],
    },
    "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate": {
        valid: [analysisTemplate, withSpec(analysisTemplate, { metrics: [{ ...metric, count: "{{args.count}}" }] })],
        invalid: [
            withSpec(analysisTemplate, { metrics: [{ ...metric, name: undefined }] }),
            withSpec(analysisTemplate, { metrics: [{ ...metric, count: true }] }),
            withSpec(analysisTemplate, { metrics: [{ ...metric, failureLimit: [] }], args: [{ value: "x" }] }),
            { ...analysisTemplate, metadata: { name: "error-rate", annotations: { a: 1 } } },
        ],
    },
    "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute": {
        valid: [routeManifest, withSpec(routeManifest, { rules: [{ matches: [{ path: { type: "PathPrefix", value: "/api" } }] }] })],
        invalid: [
            withSpec(routeManifest, { hostnames: ["*.*.bad"] }),
            withSpec(routeManifest, { parentRefs: [{ name: "platform", port: 70000 }] }),
            withSpec(routeManifest, { rules: [{ backendRefs: [{ name: "web-stable", port: 8080, weight: -1 }] }] }),
            withSpec(routeManifest, { rules: [{ matches: [{ path: { type: "Glob", value: "/api" } }] }] }),
        ],
    },
    "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway": {
        valid: [
            gateway,
            withSpec(gateway, { addresses: [{ type: "IPAddress", value: "10.0.0.1" }, { type: "IPAddress", value: "fd00::1" }] }),
            withSpec(gateway, { listeners: [listener, { ...listener, name: "https", protocol: "HTTPS", port: 443, tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "gateway-tls" }] } }] }),
        ],
        invalid: [
            withSpec(gateway, { addresses: [{ type: "IPAddress", value: "999.1.1.1" }] }),
            withSpec(gateway, { listeners: [] }),
            withSpec(gateway, { listeners: [{ ...listener, port: 0 }] }),
            { ...gateway, spec: { listeners: [listener] } },
        ],
    },
    "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass": {
        valid: [gatewayClass, withSpec(gatewayClass, { description: "Envoy Gateway", parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: "proxy" } })],
        invalid: [withSpec(gatewayClass, { controllerName: "no-slash" }), withSpec(gatewayClass, { parametersRef: { group: "Bad_Group", kind: "x".repeat(64) } }), { metadata: { name: "envoy" } }],
    },
};

describe("precompiled model validators (model-validators/)", function () {
    // The library's side of each comparison compiles the kind's schema at runtime: the very cost this avoids.
    this.timeout(60000);

    it("cover the kinds components/ builds from argo-rollouts and gateway-api, and only those", () => {
        const sources = fs.readdirSync(path.join(REPO_ROOT, "components"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
        expect(sources.length).to.be.greaterThan(20);
        const imported = new Set(sources.flatMap((f) => [...fs.readFileSync(path.join(REPO_ROOT, "components", f), "utf8").matchAll(/import\("(@kubernetes-models\/(?:argo-rollouts|gateway-api)\/[^"]+)"\)/g)].map((m) => m[1])));
        expect([...imported].sort()).to.deep.equal([
            "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate",
            "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout",
            "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway",
            "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass",
            "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute",
        ]);
        expect([...PRECOMPILED_MODELS].sort()).to.deep.equal([...imported].sort());
        expect(Object.keys(CASES).sort()).to.deep.equal([...imported].sort());
    });

    it("accept and reject exactly as each model's own validate() does, with the same errors and message", async () => {
        for (const [specifier, { valid, invalid }] of Object.entries(CASES)) {
            const Model = await modelClass(specifier);
            expect(valid.length, specifier).to.be.greaterThan(0);
            expect(invalid.length, specifier).to.be.greaterThan(2);
            for (const [manifest, expected] of [...valid.map((m) => [m, "valid"] as const), ...invalid.map((m) => [m, "invalid"] as const)]) {
                const library = outcome(() => new Model(manifest).validate());
                expect(library === "valid" ? "valid" : "invalid", `${specifier} ${JSON.stringify(manifest)}`).to.equal(expected);
                expect(outcome(() => validatedManifest(new Model(manifest))), `${specifier} ${JSON.stringify(manifest)}`).to.deep.equal(library);
            }
        }
    });

    it("accept the manifests the components build, as the library does", async () => {
        const spec = { app: "web", namespace: "shop", image: "ghcr.io/acme/web:1.4.2", hostname: "shop.dev.example.com", tracing: "java" as const };
        const built: [string, Record<string, unknown>][] = [
            [PRECOMPILED_MODELS[0], await rollout(spec)],
            [PRECOMPILED_MODELS[1], await errorRateTemplate("shop", "http://prometheus:9090", { maxErrorRatio: 0.05 })],
            [PRECOMPILED_MODELS[2], await httpRoute(spec)],
            [PRECOMPILED_MODELS[2], await healthRoute("paved.example.com", "us-east-1")],
            [PRECOMPILED_MODELS[3], await sharedGateway("dev.example.com", "gateway-tls")],
            [PRECOMPILED_MODELS[4], await envoyGatewayClass()],
        ];
        for (const [specifier, manifest] of built) {
            const Model = await modelClass(specifier);
            expect(outcome(() => new Model(manifest).validate()), `${specifier} ${JSON.stringify(manifest)}`).to.equal("valid");
            expect(outcome(() => validatedManifest(new Model(manifest)))).to.equal("valid");
        }
    });

    it("say what is wrong as the library does: the nullable ObjectMeta's own error only, every error of a manifest, formats by name", async () => {
        const Rollout = await modelClass(PRECOMPILED_MODELS[0]);
        const GatewayClass = await modelClass(PRECOMPILED_MODELS[4]);
        const Gateway = await modelClass(PRECOMPILED_MODELS[3]);
        const failure = (model: Model) => outcome(() => validatedManifest(model)) as { type: string; message: string; errors: { instancePath: string; keyword: string }[] };
        const nullable = failure(new Rollout({ ...rolloutManifest, metadata: { name: 5 } }));
        expect(nullable.type).to.equal("ValidationError");
        expect(nullable.message).to.equal("data/metadata/name must be string");
        expect(nullable.errors.map((e) => `${e.instancePath} ${e.keyword}`)).to.deep.equal(["/metadata/name type"]);
        const message = (model: Model) => failure(model).message;
        expect(message(new Rollout({ metadata: { name: "web" }, spec: { replicas: "3", paused: "no" } }))).to.equal("data/spec/paused must be boolean, data/spec/replicas must be integer");
        expect(message(new Rollout({ metadata: { name: "web" } }))).to.equal("data must have required property 'spec'");
        expect(message(new Rollout(withSpec(rolloutManifest, { replicas: 2 ** 31 })))).to.equal('data/spec/replicas must match format "int32"');
        expect(message(new GatewayClass(withSpec(gatewayClass, { controllerName: "no-slash" })))).to.equal(
            "data/spec/controllerName must match pattern \"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$\"",
        );
        expect(message(new Gateway(withSpec(gateway, { listeners: [] })))).to.equal("data/spec/listeners must NOT have fewer than 1 items");
    });

    it("stand in for the library's runtime compile: validatedManifest makes no ajv validate() call for a precompiled kind (model.validate() makes one); an argo-cd kind has none", async () => {
        const Rollout = await modelClass(PRECOMPILED_MODELS[0]);
        const { Application } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application");
        expect(precompiledValidator(new Rollout(rolloutManifest))).to.be.a("function");
        expect(precompiledValidator(new Application({ metadata: { name: "a" }, spec: { destination: {}, project: "p", source: { repoURL: "r" } } }))).to.equal(undefined);
        let calls = 0;
        // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was
        const validate = Ajv.prototype.validate;
        Ajv.prototype.validate = function (this: Ajv, ...args: Parameters<Ajv["validate"]>) {
            calls++;
            return validate.apply(this, args);
        } as Ajv["validate"];
        try {
            validatedManifest(new Rollout(rolloutManifest));
            expect(calls).to.equal(0);
            new Rollout(rolloutManifest).validate();
            expect(calls).to.equal(1);
        } finally {
            delete (Ajv.prototype as Partial<Ajv>).validate;
        }
    });

    it("are up to date with the installed packages' schemas (regenerate with `npx tsx components/model-validation/generate-validators.ts`)", async () => {
        const kinds = await precompiledKinds();
        expect(kinds.map((k) => k.id)).to.deep.equal([
            "argoproj.io.v1alpha1.Rollout", "argoproj.io.v1alpha1.AnalysisTemplate",
            "gateway.networking.k8s.io.v1.HTTPRoute", "gateway.networking.k8s.io.v1.Gateway", "gateway.networking.k8s.io.v1.GatewayClass",
        ]);
        const dir = modelValidatorsDir();
        const declarations = declarationFiles(kinds);
        expect(fs.readdirSync(dir).sort()).to.deep.equal([...Object.keys(declarations), ...kinds.map((k) => `${k.id}.js`)].sort());
        expect(Object.keys(declarations).filter((name) => fs.readFileSync(path.join(dir, name), "utf8") !== declarations[name])).to.deep.equal([]);
        // Each validator records the digest of its inputs (schemas, options, versions, generator) and of its code.
        const stale = kinds.filter((kind) => {
            const [, inputs, code, body] = /^(?:\/\/.*\n){2}\/\/ inputs sha256 (\w+), code sha256 (\w+)\n([^]*)$/.exec(fs.readFileSync(path.join(dir, `${kind.id}.js`), "utf8")) ?? [];
            return inputs !== kind.inputs || code !== crypto.createHash("sha256").update(body ?? "").digest("hex");
        });
        expect(stale.map((k) => k.id), "stale validators in model-validators/").to.deep.equal([]);
    });
});
