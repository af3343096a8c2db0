import { spawnSync } from "node:child_process";
import { expect } from "chai";
import { REPO_ROOT } from "../../harness";
import { projectWithCanary } from "./stack-project";
import { pavedArgs } from "../../paved-binary";

const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

describe("an unsupported tracing language, through the real binary", function () {
    this.timeout(120_000);

    it("`paved plan` refuses an unsupported language with exit 2, naming the key (the real binary)", () => {
        const dir = projectWithCanary("bad", { tracing: "ruby" });
        const result = spawnSync(process.execPath, pavedArgs(["plan", "bad"]), {
            // The project is the temporary folder.
            cwd: REPO_ROOT,
            env: { ...process.env, PAVED_PROJECT_DIR: dir },
            encoding: "utf8",
        });
        expect(result.status, `${result.stdout}${result.stderr}`).to.equal(2);
        expect(result.stderr).to.include("paved:delivery.canaries[0].tracing").and.include('got "ruby"').and.include("e.g. tracing: nodejs");
        expect(result.stderr).to.not.match(STACK_FRAME);
    });
});
