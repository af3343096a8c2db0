import * as fs from "node:fs";
import * as path from "node:path";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { driftFromEvent, parsePropertyPath } from "../../../automation/driver/engine-drift";
import { DriftFinding } from "../../../automation/driver/port";
import { classifyDrift, formatDrift } from "../../../automation/runner/drift";
import { REPO_ROOT } from "../../harness";

/** A refresh preview's event stream as the engine sends it at v3.248.0 (test/fixtures/engine-events/README.md). */
const events = (name: string): EngineEvent[] => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "engine-events", `refresh-preview-${name}.json`), "utf8")) as EngineEvent[];
const findingsOf = (name: string): DriftFinding[] => events(name).flatMap(driftFromEvent);

const NODE_GROUP = "urn:pulumi:dev::paved::paved:nodepools:EksSpotNodePool$aws:eks/nodeGroup:NodeGroup::apps-spot";

describe("drift from a refresh preview's engine events", () => {
    it("ignores the pre-event of a refresh (op refresh, no diffs): the result comes in resOutputsEvent", () => {
        const stream = events("modified-property");
        const pre = stream.filter((e) => e.resourcePreEvent?.metadata.urn === NODE_GROUP);
        expect(pre).to.have.length(1);
        expect(pre[0].resourcePreEvent!.metadata.op).to.equal("refresh");
        expect(driftFromEvent(pre[0])).to.deep.equal([]);
    });

    it("reports a modified property per leaf path, deployed against live", () => {
        expect(findingsOf("modified-property")).to.deep.equal([
            { urn: NODE_GROUP, type: "aws:eks/nodeGroup:NodeGroup", property: "labels.debug", deployed: undefined, live: "true", kind: "changed" },
            { urn: NODE_GROUP, type: "aws:eks/nodeGroup:NodeGroup", property: "labels.team", deployed: "platform", live: "data", kind: "changed" },
        ]);
    });

    it("reports a resource deleted outside Pulumi", () => {
        expect(findingsOf("deleted-outside-pulumi")).to.deep.equal([
            {
                urn: "urn:pulumi:dev::paved::paved:observability:ObservabilityStack$aws:s3/bucketV2:BucketV2::loki-chunks",
                type: "aws:s3/bucketV2:BucketV2",
                property: "id",
                deployed: "paved-dev-loki-chunks",
                live: undefined,
                kind: "deleted",
            },
        ]);
    });

    it("keeps a secret blinded as the engine does, and still reports that it changed", () => {
        const findings = findingsOf("secret-property");
        expect(findings).to.deep.equal([
            { urn: "urn:pulumi:dev::paved::aws:ssm/parameter:Parameter::grafana-admin", type: "aws:ssm/parameter:Parameter", property: "value", deployed: "[secret]", live: "[secret] (changed)", kind: "changed" },
        ]);
        expect(JSON.stringify(findings)).not.to.include("ciphertext");
    });

    it("does not report a field under ignoreChanges, though the cloud changed it", () => {
        const result = events("ignored-field").find((e) => e.resOutputsEvent?.metadata.urn === NODE_GROUP)!;
        const outputs = (s: "old" | "new") => (result.resOutputsEvent!.metadata[s]!.outputs as { scalingConfig: { desiredSize: number } }).scalingConfig.desiredSize;
        expect([outputs("old"), outputs("new")]).to.deep.equal([2, 5]);
        expect(findingsOf("ignored-field")).to.deep.equal([]);
    });

    it("finds nothing on a clean stack", () => {
        expect(events("clean-stack")).to.have.length(9);
        expect(findingsOf("clean-stack")).to.deep.equal([]);
    });

    it("gives the runner's per-property report what the README shows", () => {
        const report = formatDrift(classifyDrift("dev", [...findingsOf("modified-property"), ...findingsOf("deleted-outside-pulumi")]));
        expect(report).to.deep.equal([
            "dev: 2 resource(s) changed outside Git",
            "  ~ aws:eks/nodeGroup:NodeGroup apps-spot",
            '      labels.debug: (absent) → "true"',
            '      labels.team: "platform" → "data"',
            "  ~ aws:s3/bucketV2:BucketV2 loki-chunks",
            '      id: "paved-dev-loki-chunks" → (absent)',
        ]);
    });

    it("splits Pulumi property paths (sdk/go/common/resource/properties_path.go syntax)", () => {
        expect(parsePropertyPath('tags["kubernetes.io/role"]')).to.deep.equal(["tags", "kubernetes.io/role"]);
        expect(parsePropertyPath("spec.ports[0].port")).to.deep.equal(["spec", "ports", 0, "port"]);
    });
});
