import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { expect } from "chai";
import { EksCluster, GkeCluster } from "../../../components/cluster";
import { TelemetryBuckets, accessLogBucketPolicy, bucketAccessPolicy } from "../../../components/observability/telemetry-buckets";
import { StackEvaluation, inputsOf, ofType, one, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };

describe("TelemetryBuckets on AWS", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await runProgram(() => {
            const provider = new AwsProvider("aws", { region: "eu-central-1" });
            const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33" }, { providers: [provider] });
            new TelemetryBuckets("t", { cluster, tags, namespace: "monitoring", retention: { loki: "7d", tempo: "3d" } }, { providers: [provider] });
        });
    });

    it("gives Tempo the object-tagging rights of its minimal policy (Grafana Tempo, 'Amazon S3 permissions'), and Loki none", () => {
        const actions = (name: string) => JSON.parse(inputsOf(one(run.resources, "aws:iam/rolePolicy:RolePolicy", name)).policy).Statement.flatMap((s: { Action: string[] }) => s.Action);
        // The page's list: PutObject, GetObject, ListBucket, DeleteObject, GetObjectTagging, PutObjectTagging.
        expect(actions("t-tempo")).to.have.members(["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging"]);
        expect(actions("t-loki")).to.have.members(["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject"]);
    });

    it("logs every request to the Loki and Tempo buckets into one access-log bucket, under a prefix per store", () => {
        const logs = one(run.resources, "aws:s3/bucket:Bucket", "t-access-logs");
        const logging = ofType(run.resources, "aws:s3/bucketLogging:BucketLogging");
        expect(logging.map((l) => [l.name, inputsOf(l).targetPrefix])).to.deep.equal([["t-loki", "loki/"], ["t-tempo", "tempo/"]]);
        for (const l of logging) expect(l.dependencies).to.include(logs.urn);
    });

    it("keeps the access-log bucket private, SSE-S3 encrypted, owner-enforced and expiring after its own 30 days", () => {
        const name = "t-access-logs";
        expect(inputsOf(one(run.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name)))
            .to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(inputsOf(one(run.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name)).rules[0].applyServerSideEncryptionByDefault)
            .to.deep.equal({ sseAlgorithm: "AES256" });
        expect(inputsOf(one(run.resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", name)).rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
        expect(inputsOf(one(run.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", name)).rules[0].expiration).to.deep.equal({ days: 30 });
        const policy = JSON.parse(inputsOf(one(run.resources, "aws:s3/bucketPolicy:BucketPolicy", name)).policy);
        expect(policy.Statement[0].Principal).to.deep.equal({ Service: "logging.s3.amazonaws.com" });
        expect(policy.Statement[0].Condition.ArnLike["aws:SourceArn"]).to.have.length(2);
        // Wired to the buckets themselves: the log bucket's objects, the Loki then the Tempo bucket as sources, an account id.
        expect(policy.Statement[0].Resource).to.match(/[:/]t-access-logs-[0-9a-f]+\/\*$/);
        const sources = policy.Statement[0].Condition.ArnLike["aws:SourceArn"] as string[];
        expect(sources[0]).to.match(/[:/]t-loki-[0-9a-f]+$/);
        expect(sources[1]).to.match(/[:/]t-tempo-[0-9a-f]+$/);
        expect(policy.Statement[0].Condition.StringEquals["aws:SourceAccount"]).to.match(/^\d{12}$/);
    });

    it("writes the log-delivery policy the S3 User Guide gives: PutObject by logging.s3.amazonaws.com, limited by source bucket and account", () => {
        expect(JSON.parse(accessLogBucketPolicy("arn:aws:s3:::logs", ["arn:aws:s3:::loki"], "123456789012"))).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{
                Sid: "S3ServerAccessLogsPolicy",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: "arn:aws:s3:::logs/*",
                Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:s3:::loki"] }, StringEquals: { "aws:SourceAccount": "123456789012" } },
            }],
        });
        expect(JSON.parse(bucketAccessPolicy("arn:aws:s3:::traces", "tempo")).Statement[1].Resource).to.equal("arn:aws:s3:::traces/*");
    });
});

describe("TelemetryBuckets on GCP", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await runProgram(() => {
            const cluster = new GkeCluster("demo", { tags, project: "acme-platform-dev", region: "europe-west1", kubernetesVersion: "1.33" });
            new TelemetryBuckets("t", { cluster, tags, namespace: "monitoring", retention: { loki: "7d", tempo: "3d" } });
        });
    });

    it("logs usage of the Loki and Tempo buckets into a private usage-log bucket with its own 30-day lifecycle", () => {
        const logs = one(run.resources, "gcp:storage/bucket:Bucket", "t-access-logs");
        expect(inputsOf(logs)).to.deep.include({ uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", lifecycleRules: [{ action: { type: "Delete" }, condition: { age: 30 } }] });
        expect(inputsOf(logs)).to.not.have.property("logging");
        const stores = ["t-loki", "t-tempo"].map((n) => one(run.resources, "gcp:storage/bucket:Bucket", n));
        expect(stores.map((b) => inputsOf(b).logging.logObjectPrefix)).to.deep.equal(["loki", "tempo"]);
        // The log bucket's auto-generated name (`t-access-logs-<suffix>`), as the mock cloud answered it.
        for (const b of stores) expect(inputsOf(b).logging.logBucket).to.match(/^t-access-logs-[0-9a-f]+$/);
    });

    it("lets Cloud Storage's log writer (cloud-storage-analytics@google.com) create objects there, before logging is switched on", () => {
        const writer = one(run.resources, "gcp:storage/bucketIAMMember:BucketIAMMember", "t-access-logs-writer");
        expect(inputsOf(writer)).to.deep.include({ role: "roles/storage.objectCreator", member: "group:cloud-storage-analytics@google.com" });
        for (const n of ["t-loki", "t-tempo"]) expect(one(run.resources, "gcp:storage/bucket:Bucket", n).dependencies).to.include(writer.urn);
    });
});
