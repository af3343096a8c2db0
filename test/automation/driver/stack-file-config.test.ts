import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { withConfig, withStackFile } from "../../../automation/driver/stack-file-config";

describe("stack files stay as committed", () => {
    it("puts a stack file back byte for byte when the CLI re-serialised it, even when the work fails", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-stackfile-"));
        const file = path.join(dir, "Pulumi.dev.yaml");
        const committed = "# why dev looks like this\nconfig:\n  paved:role: regional # the fleet's\n";
        fs.writeFileSync(file, committed);
        try {
            await withStackFile(file, () => Promise.resolve(fs.writeFileSync(file, "encryptionsalt: v1:abc\nconfig:\n  paved:role: regional\n")));
            expect(fs.readFileSync(file, "utf8")).to.equal(committed);
            const failed = await withStackFile(file, () => {
                fs.writeFileSync(file, "config: {}\n");
                return Promise.reject(new Error("stack init failed"));
            }).catch((e: Error) => e.message);
            expect([failed, fs.readFileSync(file, "utf8")]).to.deep.equal(["stack init failed", committed]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("applies temporary config by path, as `pulumi config set --path` would, to a copy of the text", () => {
        const committed = "# comment kept\nconfig:\n  paved:global:\n    domain: example.com\n  paved:delivery:\n    canaries:\n      - { app: web, replicas: 1 }\n";
        expect(withConfig(committed, {})).to.equal(committed);
        expect(withConfig(committed, { "paved:global.drill": "true", "paved:delivery.canaries[0].replicas": "3", "paved:newKey": "x" })).to.equal(
            '# comment kept\nconfig:\n  paved:global:\n    domain: example.com\n    drill: "true"\n  paved:delivery:\n    canaries:\n      - { app: web, replicas: "3" }\n  paved:newKey: x\n',
        );
        expect(() => withConfig(committed, { drill: "true" })).to.throw('config key "drill" is not <namespace>:<name>[.path], e.g. paved:global.drill');
    });
});
