import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { SECRET_PLACEHOLDER, StackFileError, listStacks, readProjectYaml, readStackConfig } from "../../../automation/offline/stack-file";

function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-stack-file-"));
    for (const [name, text] of Object.entries({ "Pulumi.yaml": "name: paved\nruntime: nodejs\n", ...files })) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

function errorOf(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        expect(e).to.be.instanceOf(StackFileError);
        return (e as Error).message;
    }
    throw new Error("expected a StackFileError");
}

describe("readStackConfig (config exactly as Pulumi hands it to a program)", () => {
    it("turns scalars into strings, objects and arrays into JSON, and secure values into secrets", () => {
        const dir = project({
            "Pulumi.dev.yaml": [
                "config:",
                "  paved:cloud: aws",
                "  paved:production: false",
                "  paved:count: 3",
                "  paved:cluster:",
                "    kubernetesVersion: \"1.33\"",
                "    publicAccessCidrs: [203.0.113.0/24]",
                "  paved:token:",
                "    secure: v1:AAAAbase64==",
                "  aws:region: us-east-1",
            ].join("\n"),
        });
        const read = readStackConfig(dir, "dev");
        expect(read.project).to.equal("paved");
        expect(read.config).to.deep.equal({
            "paved:cloud": "aws",
            "paved:production": "false",
            "paved:count": "3",
            "paved:cluster": '{"kubernetesVersion":"1.33","publicAccessCidrs":["203.0.113.0/24"]}',
            "paved:token": SECRET_PLACEHOLDER,
            "aws:region": "us-east-1",
        });
        expect(read.secretKeys).to.deep.equal(["paved:token"]);
    });

    it("applies project-level defaults from Pulumi.yaml, overridden by the stack file", () => {
        const dir = project({
            "Pulumi.yaml": "name: paved\nconfig:\n  owner: platform-team\n  costCenter:\n    type: string\n    default: cc-0\n",
            "Pulumi.dev.yaml": "config:\n  paved:costCenter: cc-1\n",
        });
        expect(readStackConfig(dir, "dev").config).to.deep.equal({ "paved:owner": "platform-team", "paved:costCenter": "cc-1" });
    });

    it("names the missing file, the malformed YAML and the un-namespaced key", () => {
        const dir = project({
            "Pulumi.broken.yaml": "config:\n  paved:cloud: [aws\n",
            "Pulumi.bare.yaml": "config:\n  cloud: aws\n",
        });
        expect(errorOf(() => readStackConfig(dir, "nope"))).to.match(/^Pulumi\.nope\.yaml not found in .*: create it/);
        expect(errorOf(() => readStackConfig(dir, "broken"))).to.match(/^Pulumi\.broken\.yaml is not valid YAML: /);
        expect(errorOf(() => readStackConfig(dir, "bare"))).to.equal('Pulumi.bare.yaml: config key "cloud" must be "namespace:name", e.g. paved:cloud');
    });

    it("lists the stacks that have a file, sorted", () => {
        const dir = project({ "Pulumi.b.yaml": "", "Pulumi.a.yaml": "", "notes.yaml": "" });
        expect(listStacks(dir)).to.deep.equal(["a", "b"]);
    });
});

describe("readProjectYaml (one parse per text)", () => {
    it("a copy of a project reads the very same parse; an edited file is read anew", () => {
        const [original, copy] = [project({}), project({})];
        try {
            const first = readProjectYaml(original);
            expect(first).to.deep.include({ name: "paved", runtime: "nodejs" });
            expect(readProjectYaml(copy)).to.equal(first);
            fs.writeFileSync(path.join(original, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
            expect(readProjectYaml(original)).to.deep.include({ name: "shop" });
            expect(readProjectYaml(copy)).to.equal(first);
        } finally {
            for (const dir of [original, copy]) fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
