import { expect } from "chai";
import { CloudDnsFailover, FailoverArgs, Route53Failover } from "../../../components/failover";
import { StackEvaluation, inputsOf, ofType, one, runFailing, runProgram } from "../../harness";

const tags = { environment: "prod", owner: "platform-team", costCenter: "cc-1000" };
const aws: FailoverArgs = {
    domain: "paved.example.com",
    primary: { region: "us-east-1", gateway: "k8s-gateway-a.elb.us-east-1.amazonaws.com" },
    standby: { region: "us-west-2", gateway: "k8s-gateway-b.elb.us-west-2.amazonaws.com" },
    records: ["shop"],
    tags,
};
const gcp = {
    ...aws,
    primary: { region: "europe-west1", gateway: "203.0.113.10" },
    standby: { region: "europe-west4", gateway: "203.0.113.20" },
    managedZone: "paved-example-com",
};

const checksOf = (run: StackEvaluation) => Object.fromEntries(ofType(run.resources, "aws:route53/healthCheck:HealthCheck").map((r) => [r.name, inputsOf(r)]));

describe("Route53Failover", () => {
    let normal: StackEvaluation;
    let drill: StackEvaluation;
    before(async () => {
        normal = await runProgram(() => void new Route53Failover("failover", aws));
        drill = await runProgram(() => void new Route53Failover("failover", { ...aws, drill: true }));
    });

    it("health-checks each region's own health endpoint over HTTPS every 10 s, 3 failures to fail, matching the region's name", () => {
        const check = checksOf(normal)["failover-standby"];
        expect(check).to.deep.include({
            type: "HTTPS_STR_MATCH", fqdn: "health-us-west-2.paved.example.com", port: 443, enableSni: true,
            resourcePath: "/healthz", searchString: "us-west-2", requestInterval: 10, failureThreshold: 3, invertHealthcheck: false,
        });
        expect(check.tags).to.include({ environment: "prod", "managed-by": "paved-road" });
    });

    it("answers each failover name PRIMARY from the primary and SECONDARY from the standby, with its health check and a 30 s TTL", () => {
        for (const label of ["health", "shop"]) {
            const primary = inputsOf(one(normal.resources, "aws:route53/record:Record", `failover-${label}-primary`));
            const secondary = inputsOf(one(normal.resources, "aws:route53/record:Record", `failover-${label}-standby`));
            expect(primary).to.deep.include({ name: `${label}.paved.example.com`, type: "CNAME", ttl: 30, setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], records: ["k8s-gateway-a.elb.us-east-1.amazonaws.com"] });
            expect(secondary).to.deep.include({ setIdentifier: "standby", failoverRoutingPolicies: [{ type: "SECONDARY" }], records: ["k8s-gateway-b.elb.us-west-2.amazonaws.com"] });
            expect(primary.healthCheckId).to.be.a("string").and.not.equal(secondary.healthCheckId);
        }
    });

    it("the drill knob inverts the primary's health check only — the records and the standby stay as they are", () => {
        expect(checksOf(drill)["failover-primary"].invertHealthcheck).to.equal(true);
        expect(checksOf(drill)["failover-standby"].invertHealthcheck).to.equal(false);
        const records = (run: StackEvaluation) => ofType(run.resources, "aws:route53/record:Record").map((r) => [r.name, r.inputs.records, r.inputs.ttl]).sort();
        expect(records(drill)).to.deep.equal(records(normal));
    });

    it("refuses bad settings, naming each with the value and an example, before creating anything", async () => {
        const failure = await runFailing(() => void new Route53Failover("failover", {
            ...aws, standby: { ...aws.standby, region: "us-east-1" }, healthCheck: { intervalSeconds: 15, failureThreshold: 0 }, ttlSeconds: -1, records: ["Shop!"],
        }));
        expect(failure.message).to.include("standby.region: got \"us-east-1\", the primary's region too");
        expect(failure.message).to.include("healthCheck.intervalSeconds: got 15: Route 53 checks every 10 or 30 seconds, e.g. 10");
        expect(failure.message).to.include("healthCheck.failureThreshold: got 0: expected a whole number from 1 to 10, e.g. 3");
        expect(failure.message).to.include("ttlSeconds: got -1");
        expect(failure.message).to.include('records[1]: got "Shop!"');
        expect(failure.resources.filter((r) => r.custom)).to.be.empty;
    });
});

describe("CloudDnsFailover", () => {
    let normal: StackEvaluation;
    let drill: StackEvaluation;
    before(async () => {
        normal = await runProgram(() => void new CloudDnsFailover("failover", gcp));
        drill = await runProgram(() => void new CloudDnsFailover("failover", { ...gcp, drill: true }));
    });

    it("checks both regions' Gateways from three source regions every 30 s, with the Host both answer", () => {
        const check = inputsOf(one(normal.resources, "gcp:compute/healthCheck:HealthCheck"));
        expect(check).to.deep.include({ checkIntervalSec: 30, unhealthyThreshold: 3, sourceRegions: ["us-east4", "europe-west1", "asia-southeast1"] });
        expect(check.httpsHealthCheck).to.deep.equal({ port: 443, requestPath: "/healthz", host: "health.paved.example.com" });
    });

    it("answers each failover name with a primary-backup routing policy on that health check, 30 s TTL", () => {
        const record = inputsOf(one(normal.resources, "gcp:dns/recordSet:RecordSet", "failover-shop"));
        expect(record).to.deep.include({ managedZone: "paved-example-com", name: "shop.paved.example.com.", type: "A", ttl: 30 });
        expect(record.routingPolicy.primaryBackup).to.deep.equal({
            primary: { externalEndpoints: ["203.0.113.10"] },
            backupGeos: [{ location: "europe-west4", healthCheckedTargets: { externalEndpoints: ["203.0.113.20"] } }],
            trickleRatio: 0,
        });
        expect(record.routingPolicy.healthCheck).to.be.a("string").and.not.empty;
    });

    it("the drill knob (no inverted checks on Cloud DNS) sends every answer to the backup: trickleRatio 1", () => {
        const trickle = (run: StackEvaluation) => Object.fromEntries(ofType(run.resources, "gcp:dns/recordSet:RecordSet").map((r) => [r.name, inputsOf(r).routingPolicy.primaryBackup.trickleRatio]));
        expect(trickle(drill)).to.deep.equal({ "failover-health": 1, "failover-shop": 1 });
        expect(trickle(normal)).to.deep.equal({ "failover-health": 0, "failover-shop": 0 });
    });

    it("refuses an interval below Cloud DNS's minimum and a wrong number of source regions", async () => {
        const failure = await runFailing(() => void new CloudDnsFailover("failover", { ...gcp, healthCheck: { intervalSeconds: 10 }, sourceRegions: ["us-east4"] }));
        expect(failure.message).to.include("healthCheck.intervalSeconds: got 10: Cloud DNS external health checks run every 30 to 300 seconds, e.g. 30");
        expect(failure.message).to.include('sourceRegions: got ["us-east4"]: exactly three different regions');
    });
});

