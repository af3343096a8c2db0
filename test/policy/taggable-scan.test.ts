import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { scanTaggableTypes, tagArgumentsIn } from "../../policy/taggable-scan";

/**
 * How the taggable-type scan reads a provider SDK, on a small package laid out as @pulumi/aws 7 is:
 * `<module>/<resource>.js` holding `static __pulumiType = '<token>'` beside its `.d.ts` with
 * `export interface <Class>Args { tags?: pulumi.Input<{ [key: string]: ... }> }` (ec2/vpc.js and
 * ec2/vpc.d.ts of the installed SDK have exactly these lines).
 */
const js = (token: string) => `class X {\n    static __pulumiType = '${token}';\n}\n`;
const args = (className: string, body: string) => `export interface ${className}Args {\n${body}\n}\n`;
const TAG_MAP = "    tags?: pulumi.Input<{\n        [key: string]: pulumi.Input<string>;\n    } | undefined>;";
const LABEL_MAP = "    labels?: pulumi.Input<{\n        [key: string]: pulumi.Input<string>;\n    }>;";

describe("taggable-type scan of a provider SDK's files", () => {
    let pkgDir: string;
    const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(pkgDir, file)), { recursive: true });
        fs.writeFileSync(path.join(pkgDir, file), text);
    };

    before(() => {
        // A package folder whose name holds ".js" (as bignumber.js's does): only the file's extension is swapped for .d.ts.
        pkgDir = fs.mkdtempSync(path.join(os.tmpdir(), "sdk.js-"));
        write("ec2/vpc.js", js("aws:ec2/vpc:Vpc"));
        write("ec2/vpc.d.ts", args("Vpc", TAG_MAP)); // the interface at the very start of the file
        write("ec2/subnet.js", js("aws:ec2/subnet:Subnet"));
        write("ec2/subnet.d.ts", `import * as pulumi from "@pulumi/pulumi";\n${args("Subnet", `    cidrBlock: pulumi.Input<string>;\n${TAG_MAP}`)}`);
        write("ec2/route.js", js("aws:ec2/route:Route"));
        write("ec2/route.d.ts", args("Route", "    destinationCidrBlock?: pulumi.Input<string>;"));
        write("ec2/listy.js", js("aws:ec2/listy:Listy"));
        write("ec2/listy.d.ts", args("Listy", "    tags?: pulumi.Input<pulumi.Input<string>[]>;"));
        write("ec2/mismatch.js", js("aws:ec2/mismatch:Mismatch"));
        write("ec2/mismatch.d.ts", `${args("Other", TAG_MAP)}export interface MismatchState {\n}\n`);
        write("ec2/orphan.js", js("aws:ec2/orphan:Orphan")); // no declarations beside it
        write("ec2/foreign.js", js("gcp:compute/disk:Disk"));
        write("ec2/foreign.d.ts", args("Disk", `${TAG_MAP}\n${LABEL_MAP}`)); // an AWS-looking tag map in another provider's class
        write("ec2/notes.md", `${js("aws:ec2/notes:Notes")}${args("Notes", TAG_MAP)}`);
        write("types/input.js", js("aws:types/input:Input"));
        write("types/input.d.ts", args("Input", TAG_MAP));
        write("node_modules/dep/index.js", js("aws:index/dep:Dep"));
        write("node_modules/dep/index.d.ts", args("Dep", TAG_MAP));
        write("storage/bucket.js", js("gcp:storage/bucket:Bucket"));
        write("storage/bucket.d.ts", args("Bucket", LABEL_MAP));
    });
    after(() => fs.rmSync(pkgDir, { recursive: true, force: true }));

    it("finds the package's own resource classes whose Args take a tag map, sorted by token", () => {
        const found = scanTaggableTypes("aws", pkgDir);
        expect(Object.keys(found)).to.deep.equal(["aws:ec2/subnet:Subnet", "aws:ec2/vpc:Vpc"]);
        expect(found).to.deep.equal({ "aws:ec2/subnet:Subnet": "tags", "aws:ec2/vpc:Vpc": "tags" });
    });

    it("scans GCP's tokens for labels, skipping AWS's", () => {
        expect(scanTaggableTypes("gcp", pkgDir)).to.deep.equal({ "gcp:compute/disk:Disk": "labels", "gcp:storage/bucket:Bucket": "labels" });
    });

    it("reads Args only of the named class, and only string maps", () => {
        expect(tagArgumentsIn(args("Vpc", TAG_MAP), "Vpc", ["tags"])).to.deep.equal(["tags"]);
        expect(tagArgumentsIn(args("Vpc", TAG_MAP), "Subnet", ["tags"])).to.deep.equal([]);
        expect(tagArgumentsIn(`${args("Vpc", "    cidrBlock?: string;")}${args("Other", TAG_MAP)}`, "Vpc", ["tags"])).to.deep.equal([]);
        expect(tagArgumentsIn(args("Cluster", `${LABEL_MAP.replace("labels", "resourceLabels")}`), "Cluster", ["labels", "resourceLabels"])).to.deep.equal(["resourceLabels"]);
    });
});
