import { expect } from "chai";
import { CloudDnsFailover, FailoverArgs, Route53Failover } from "../../../components/failover";
import { StackEvaluation, inputsOf, ofType, one, runFailing, runProgram, valueOf } from "../../harness";

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

    it("hands out the global health URL, both checks' ids and the failover bound (10 s × 3 + 30 s TTL)", async () => {
        let failover!: Route53Failover;
        const run = await runProgram(() => void (failover = new Route53Failover("failover", aws)));
        expect(failover.globalEndpoint).to.equal("https://health.paved.example.com/healthz");
        expect(failover.failoverBoundSeconds).to.equal(60);
        const ids = { primary: await valueOf(failover.healthCheckIds.primary), standby: await valueOf(failover.healthCheckIds.standby) };
        const records = (role: string) => ofType(run.resources, "aws:route53/record:Record").filter((r) => r.name.endsWith(`-${role}`)).map((r) => inputsOf(r).healthCheckId);
        expect(records("primary")).to.deep.equal([ids.primary, ids.primary]);
        expect(records("standby")).to.deep.equal([ids.standby, ids.standby]);
        expect(ids.primary).to.not.equal(ids.standby);
    });

    it("points every record at the public hosted zone of the domain it fails over", async () => {
        const zones = (run: StackEvaluation) => [...new Set(ofType(run.resources, "aws:route53/record:Record").map((r) => inputsOf(r).zoneId))];
        const other = await runProgram(() => void new Route53Failover("failover", { ...aws, domain: "other.example.org" }));
        expect(zones(normal)).to.have.length(1);
        expect(zones(other)).to.have.length(1);
        expect(zones(other)[0]).to.not.equal(zones(normal)[0]);
    });

    it("names each check after what it probes, and parents everything under the component", () => {
        expect(checksOf(normal)["failover-primary"].tags.Name).to.equal("health-us-east-1.paved.example.com/healthz");
        const component = one(normal.resources, "paved:failover:Route53Failover");
        const children = normal.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers"));
        expect(children).to.have.length(6);
        expect(children.filter((r) => r.parent !== component.urn).map((r) => r.name)).to.deep.equal([]);
    });

    it("accepts Route 53's other interval, 30 s, and says which component refused what", async () => {
        let failover!: Route53Failover;
        await runProgram(() => void (failover = new Route53Failover("failover", { ...aws, healthCheck: { intervalSeconds: 30, failureThreshold: 2 }, ttlSeconds: 60 })));
        expect(failover.failoverBoundSeconds).to.equal(120);
        const failure = await runFailing(() => void new Route53Failover("failover", { ...aws, ttlSeconds: -1 }));
        expect(failure.message).to.match(/^Route53Failover has 1 invalid argument\(s\):\n {2}- ttlSeconds: got -1/);
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

    it("describes the check, parents everything under the component and hands out the global URL and bound (30 s × 3 + 30 s)", async () => {
        expect(inputsOf(one(normal.resources, "gcp:compute/healthCheck:HealthCheck")).description).to.equal("Failover health of health.paved.example.com");
        const component = one(normal.resources, "paved:failover:CloudDnsFailover");
        const children = normal.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers"));
        expect(children).to.have.length(3);
        expect(children.filter((r) => r.parent !== component.urn).map((r) => r.name)).to.deep.equal([]);
        let failover!: CloudDnsFailover;
        await runProgram(() => void (failover = new CloudDnsFailover("failover", gcp)));
        expect(failover.globalEndpoint).to.equal("https://health.paved.example.com/healthz");
        expect(failover.failoverBoundSeconds).to.equal(120);
        expect(await valueOf(failover.healthCheckId)).to.equal(inputsOf(one(normal.resources, "gcp:dns/recordSet:RecordSet", "failover-health")).routingPolicy.healthCheck);
    });

    it("accepts Cloud DNS's longest interval, 300 s, and refuses 301", async () => {
        await runProgram(() => void new CloudDnsFailover("failover", { ...gcp, healthCheck: { intervalSeconds: 300 } }));
        const failure = await runFailing(() => void new CloudDnsFailover("failover", { ...gcp, healthCheck: { intervalSeconds: 301 } }));
        expect(failure.message).to.match(/^CloudDnsFailover has 1 invalid argument\(s\):\n {2}- healthCheck\.intervalSeconds: got 301/);
    });

    it("refuses a missing managed zone, and source regions that are not three different ones", async () => {
        const zone = await runFailing(() => void new CloudDnsFailover("failover", { ...gcp, managedZone: "" }));
        expect(zone.message).to.include('managedZone: got "": the zone\'s name, e.g. "paved-example-com"');
        const missing = await runFailing(() => void new CloudDnsFailover("failover", { ...gcp, managedZone: undefined as unknown as string }));
        expect(missing.message).to.include("managedZone: got nothing");
        const same = await runFailing(() => void new CloudDnsFailover("failover", { ...gcp, sourceRegions: ["us-east4", "us-east4", "europe-west1"] }));
        expect(same.message).to.include('sourceRegions: got ["us-east4","us-east4","europe-west1"]: exactly three different regions, e.g. ["us-east4", "europe-west1", "asia-southeast1"]');
        const four = await runFailing(() => void new CloudDnsFailover("failover", { ...gcp, sourceRegions: ["us-east4", "europe-west1", "asia-southeast1", "us-west1"] }));
        expect(four.message).to.include("sourceRegions: got");
        const repeated = await runFailing(() => void new CloudDnsFailover("failover", { ...gcp, sourceRegions: ["us-east4", "europe-west1", "asia-southeast1", "us-east4"] }));
        expect(repeated.message).to.include("sourceRegions: got");
    });
});

