import { expect } from "chai";
import { EksCluster } from "../../../components/cluster";
import { TelemetryBuckets, accessLogBucketPolicy, bucketAccessPolicy } from "../../../components/observability/telemetry-buckets";
import { StackEvaluation, inputsOf, ofType, one, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };

describe("TelemetryBuckets on AWS", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await runProgram(async () => {
            const aws = await import("@pulumi/aws");
            const provider = new aws.Provider("aws", { region: "eu-central-1" });
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
