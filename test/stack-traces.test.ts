import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";

// test/stack-traces.ts (loaded by .mocharc.json) formats the test processes' stack traces.
describe("stack traces in the test processes", () => {
    it("name this repository's TypeScript source and line", () => {
        const line = Number(new Error().stack!.split("\n")[1].match(/stack-traces\.test\.ts:(\d+):\d+\)?$/)?.[1]);
        expect(line).to.equal(7);
    });

    it("keep the first 12 frames of the stack Pulumi takes for each resource, still naming the TypeScript line", () => {
        // Resource.callsites is what a resource's constructor asks for its source position; @internal.
        const resource = pulumi.Resource as unknown as { callsites(): { file?: string; line?: number }[] };
        const deep = (n: number): { file?: string; line?: number }[] => (n === 0 ? resource.callsites() : deep(n - 1));
        const frames = deep(30);
        expect(frames).to.have.length(12);
        expect(frames[1]).to.deep.include({ file: __filename, line: 14 });
    });
});
