import { Readable } from "node:stream";
import { expect } from "chai";
import { SdkCloudRules } from "../../../automation/driver/cloud-rules-sdk";

/*
 * The real EC2 adapter, offline: the AWS SDK itself serialises each request and parses recorded
 * query-protocol XML responses (element names as the SDK's own EC2 schema reads them:
 * DescribeSecurityGroupRulesResult → securityGroupRuleSet/item, SecurityGroupRule → securityGroupRuleId,
 * groupId, isEgress, ipProtocol, fromPort, toPort, cidrIpv4, ...; nextToken). No network, fake static
 * credentials. The Compute Engine half cannot be replayed this way and stays untested here.
 */

const page = (items: string, nextToken?: string) => `<?xml version="1.0" encoding="UTF-8"?>
<DescribeSecurityGroupRulesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>6ab3b2b5-5e24-4b1c-9f66-0d3a9b2a1c11</requestId>
    <securityGroupRuleSet>${items}</securityGroupRuleSet>${nextToken ? `
    <nextToken>${nextToken}</nextToken>` : ""}
</DescribeSecurityGroupRulesResponse>`;

const item = (id: string, port: number, cidr: string) => `
        <item>
            <securityGroupRuleId>${id}</securityGroupRuleId>
            <groupId>sg-0a1b2c3d4e5f60001</groupId>
            <groupOwnerId>123456789012</groupOwnerId>
            <isEgress>false</isEgress>
            <ipProtocol>tcp</ipProtocol>
            <fromPort>${port}</fromPort>
            <toPort>${port}</toPort>
            <cidrIpv4>${cidr}</cidrIpv4>
            <description/>
            <tagSet/>
            <securityGroupRuleArn>arn:aws:ec2:eu-central-1:123456789012:security-group-rule/${id}</securityGroupRuleArn>
        </item>`;

function replaying(responses: string[]): { cloud: SdkCloudRules; requests: URLSearchParams[] } {
    const requests: URLSearchParams[] = [];
    const requestHandler = {
        handle: (request: { body?: unknown }) => {
            requests.push(new URLSearchParams(String(request.body)));
            const body = responses.shift() ?? "<RevokeSecurityGroupIngressResponse><requestId>1</requestId><return>true</return></RevokeSecurityGroupIngressResponse>";
            // The shape of a smithy HttpResponse, as the SDK's node handler resolves it.
            return Promise.resolve({ response: { statusCode: 200, headers: { "content-type": "text/xml;charset=UTF-8" }, body: Readable.from([Buffer.from(body)]) } });
        },
    };
    const cloud = new SdkCloudRules({ requestHandler, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" } });
    return { cloud, requests };
}

describe("SdkCloudRules (EC2 through the AWS SDK, recorded responses, no network)", () => {
    it("asks DescribeSecurityGroupRules for the platform's groups only, follows nextToken, and returns the API's rules", async () => {
        const { cloud, requests } = replaying([
            page(item("sgr-0a00000000000c001", 443, "10.0.0.0/16"), "token-2"),
            page(item("sgr-0d00000000000beef", 22, "0.0.0.0/0")),
        ]);
        const rules = await cloud.listSecurityGroupRules("eu-central-1", ["sg-0a1b2c3d4e5f60001"]);
        expect(requests).to.have.length(2);
        expect(requests[0].get("Action")).to.equal("DescribeSecurityGroupRules");
        expect([requests[0].get("Filter.1.Name"), requests[0].get("Filter.1.Value.1")]).to.deep.equal(["group-id", "sg-0a1b2c3d4e5f60001"]);
        expect(requests[1].get("NextToken")).to.equal("token-2");
        expect(rules.map((r) => [r.SecurityGroupRuleId, r.GroupId, r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4])).to.deep.equal([
            ["sgr-0a00000000000c001", "sg-0a1b2c3d4e5f60001", false, "tcp", 443, 443, "10.0.0.0/16"],
            ["sgr-0d00000000000beef", "sg-0a1b2c3d4e5f60001", false, "tcp", 22, 22, "0.0.0.0/0"],
        ]);
    });

    it("revokes one ingress rule by its id and group (RevokeSecurityGroupIngress, SecurityGroupRuleId.1)", async () => {
        const { cloud, requests } = replaying([]);
        await cloud.revokeSecurityGroupRule("eu-central-1", { SecurityGroupRuleId: "sgr-0d00000000000beef", GroupId: "sg-0a1b2c3d4e5f60001", IsEgress: false, IpProtocol: "tcp" });
        expect(requests).to.have.length(1);
        expect(Object.fromEntries(requests[0])).to.deep.include({ Action: "RevokeSecurityGroupIngress", GroupId: "sg-0a1b2c3d4e5f60001", "SecurityGroupRuleId.1": "sgr-0d00000000000beef" });
    });
});
