import { expect } from "chai";
import { CanarySpec, canaryProblems } from "../../../components/delivery/canary-spec";

const web: CanarySpec = { app: "web", namespace: "shop", image: "ghcr.io/acme/web:1.4.2", hostname: "shop.dev.example.com" };
const problems = (change: Partial<CanarySpec>) => canaryProblems({ ...web, ...change }).list.map((p) => `${p.propertyPath}: ${p.reason}`);
const paths = (change: Partial<CanarySpec>) => canaryProblems({ ...web, ...change }).list.map((p) => p.propertyPath);
const DIGEST = "sha256:4bf92f3577b34da6a3ce929d0e0e47364bf92f3577b34da6a3ce929d0e0e4736";

describe("canaryProblems", () => {
    it("accepts the documented example, under a caller's path prefix too", () => {
        expect(problems({})).to.deep.equal([]);
        expect(canaryProblems({ ...web, app: "" }, "delivery.canaries[2]").list.map((p) => p.propertyPath)).to.deep.equal(["delivery.canaries[2].app"]);
    });

    it("refuses a tracing language the OpenTelemetry Operator does not instrument, under the canary's own path", () => {
        expect(paths({ tracing: "java" })).to.deep.equal([]);
        expect(problems({ tracing: "cobol" as CanarySpec["tracing"] })).to.deep.equal(['canary.tracing: got "cobol": the OpenTelemetry Operator instruments nodejs, java, python, dotnet, go; e.g. tracing: nodejs']);
        expect(canaryProblems({ ...web, tracing: "cobol" as CanarySpec["tracing"] }, "delivery.canaries[2]").list.map((p) => p.propertyPath)).to.deep.equal(["delivery.canaries[2].tracing"]);
    });

    describe("names", () => {
        it("accepts one-character and 63-character Kubernetes names", () => {
            expect(paths({ app: "a", namespace: "n" })).to.deep.equal([]);
            expect(paths({ app: `a${"b".repeat(61)}c` })).to.deep.equal([]);
        });

        it("refuses names a Kubernetes object cannot have, naming the value and an example", () => {
            expect(problems({ app: "Web" })).to.deep.equal(['canary.app: got "Web": a Kubernetes name, e.g. "web"']);
            expect(problems({ namespace: "shop!" })).to.deep.equal(['canary.namespace: got "shop!": a Kubernetes namespace, e.g. "shop"']);
            expect(paths({ app: "-web" })).to.deep.equal(["canary.app"]);
            expect(paths({ app: "web-" })).to.deep.equal(["canary.app"]);
            expect(paths({ app: `a${"b".repeat(62)}c` })).to.deep.equal(["canary.app"]);
            expect(problems({ app: undefined })).to.deep.equal(["canary.app: got nothing: a Kubernetes name, e.g. \"web\""]);
        });
    });

    describe("image", () => {
        it("accepts a pinned tag or a sha256 digest, and a tag that merely starts with latest", () => {
            expect(paths({ image: `ghcr.io/acme/web@${DIGEST}` })).to.deep.equal([]);
            expect(paths({ image: "ghcr.io/acme/web:latest-2026.11" })).to.deep.equal([]);
        });

        it("refuses latest, no tag, a short digest, a non-hex digest and anything with spaces", () => {
            expect(problems({ image: "ghcr.io/acme/web:latest" })).to.deep.equal([
                'canary.image: got "ghcr.io/acme/web:latest": pin a tag or digest (not latest), e.g. "ghcr.io/acme/web:1.4.2"',
            ]);
            expect(paths({ image: "ghcr.io/acme/web" })).to.deep.equal(["canary.image"]);
            expect(paths({ image: "ghcr.io/acme/web@sha256:4bf9" })).to.deep.equal(["canary.image"]);
            expect(paths({ image: `ghcr.io/acme/web@${DIGEST.replace("4bf9", "XYZW")}` })).to.deep.equal(["canary.image"]);
            expect(paths({ image: "bad image:1.0" })).to.deep.equal(["canary.image"]);
            expect(paths({ image: "ghcr.io/acme/web:1.4.2 --privileged" })).to.deep.equal(["canary.image"]);
        });
    });

    describe("hostname", () => {
        it("accepts one-character labels and a name of exactly 253 characters", () => {
            expect(paths({ hostname: "a.example.com" })).to.deep.equal([]);
            const label = "a".repeat(63);
            const name253 = `${label}.${label}.${label}.${"a".repeat(57)}.com`;
            expect(name253).to.have.length(253);
            expect(paths({ hostname: name253 })).to.deep.equal([]);
        });

        it("refuses what is not a DNS name, or is longer than 253 characters", () => {
            expect(problems({ hostname: "Shop.Example.com" })).to.deep.equal(['canary.hostname: got "Shop.Example.com": a DNS name, e.g. "shop.example.com"']);
            expect(paths({ hostname: "!shop.example.com" })).to.deep.equal(["canary.hostname"]);
            expect(paths({ hostname: "shop.example.com!" })).to.deep.equal(["canary.hostname"]);
            expect(paths({ hostname: "shop-.example.com" })).to.deep.equal(["canary.hostname"]);
            const label = "a".repeat(63);
            expect(paths({ hostname: `${label}.${label}.${label}.${"a".repeat(58)}.com` })).to.deep.equal(["canary.hostname"]);
        });
    });

    describe("steps", () => {
        it("accepts weights from 1 to 100 that strictly increase and end at 100", () => {
            expect(paths({ steps: [1, "analysis", 100] })).to.deep.equal([]);
            expect(paths({ steps: [100] })).to.deep.equal([]);
        });

        it("refuses a weight outside 1–100 or not whole, naming its index", () => {
            expect(problems({ steps: [0, 100] })).to.deep.equal(["canary.steps[0]: got 0: a traffic weight is a whole percentage from 1 to 100, e.g. 25"]);
            expect(paths({ steps: [5, "analysis", 101] })).to.deep.equal(["canary.steps[2]", "canary.steps"]);
            expect(paths({ steps: [5, 12.5, 100] })).to.deep.equal(["canary.steps[1]"]);
        });

        it("refuses a weight that does not increase, equal ones included, saying what it came after", () => {
            expect(problems({ steps: [5, "analysis", 50, 25, 100] })).to.deep.equal(["canary.steps[3]: got 25 after 50: weights must strictly increase, e.g. 5, 25, 50, 100"]);
            expect(paths({ steps: [5, 50, 60, 60, 100] })).to.deep.equal(["canary.steps[2]"]);
        });

        it("refuses a last weight that is not 100, and a step that is neither a weight nor analysis", () => {
            expect(problems({ steps: [5, "analysis", 50] })).to.deep.equal([
                'canary.steps: got [5,"analysis",50]: the last weight must be 100 so the canary is fully promoted, e.g. [5, "analysis", 25, "analysis", 50, 100]',
            ]);
            expect(problems({ steps: [5, "pause" as "analysis", 100] })).to.deep.equal(['canary.steps[1]: got "pause": a step is a weight or "analysis"']);
        });
    });

    describe("analysis", () => {
        it("accepts a duration interval and an error ratio strictly between 0 and 1", () => {
            expect(paths({ analysis: { interval: "30s", maxErrorRatio: 0.5 } })).to.deep.equal([]);
            expect(paths({ analysis: { maxErrorRatio: 0.0001 } })).to.deep.equal([]);
            expect(paths({ analysis: { maxErrorRatio: 0.9999 } })).to.deep.equal([]);
        });

        it("refuses an interval that is not a duration, and a ratio of 0, 1 or beyond", () => {
            expect(problems({ analysis: { interval: "every minute" } })).to.deep.equal(['canary.analysis.interval: got "every minute": a duration, e.g. "1m" or "30s"']);
            expect(problems({ analysis: { maxErrorRatio: 0 } })).to.deep.equal(["canary.analysis.maxErrorRatio: got 0: a share between 0 and 1, e.g. 0.01"]);
            expect(paths({ analysis: { maxErrorRatio: 1 } })).to.deep.equal(["canary.analysis.maxErrorRatio"]);
            expect(paths({ analysis: { maxErrorRatio: -0.1 } })).to.deep.equal(["canary.analysis.maxErrorRatio"]);
            expect(paths({ analysis: { maxErrorRatio: 1.5 } })).to.deep.equal(["canary.analysis.maxErrorRatio"]);
        });
    });
});
