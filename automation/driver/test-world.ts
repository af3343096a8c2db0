import * as fs from "node:fs";
import { FirewallWorld, WorldData } from "./firewall-world";
import { MemoryDriver } from "./memory-driver";

/** Names the JSON file of a persisted in-memory world: TEST ONLY, see `openTestWorld`. */
export const TEST_WORLD_ENV = "PAVED_TEST_WORLD";

export interface TestWorldFile extends WorldData {
    readonly stacks: string[];
}

/**
 * TEST ONLY. With PAVED_TEST_WORLD=<file.json> the `paved` binary drives an in-memory world read
 * from that file (the in-memory driver and cloud, never Pulumi nor a cloud) and writes the world
 * back when the command ends, so a test can change the "cloud" between two runs of the real binary
 * in a child process and check exit codes and output. Every line the CLI prints is then preceded
 * by a notice saying so; nothing real is touched.
 */
export function openTestWorld(file: string | undefined): { driver: MemoryDriver; world: FirewallWorld; save(): void } | undefined {
    if (!file) return undefined;
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as TestWorldFile;
    const world = new FirewallWorld(data);
    const driver = new MemoryDriver(new Set(data.stacks), new Map(), 1);
    for (const stack of data.stacks) driver.stackOutputs.set(stack, world.outputs(stack));
    driver.refreshFindings = (stack) => world.findings(stack);
    driver.onUp = (stack) => world.apply(stack);
    return { driver, world, save: () => fs.writeFileSync(file, JSON.stringify({ ...world.toJSON(), stacks: data.stacks }, undefined, 2)) };
}
