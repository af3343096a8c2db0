import { DriftFinding, Operation, OperationOptions, OperationResult, StackDriver } from "./port";

/**
 * A driver made on first use. Its readiness checks answer without it, so `paved` refuses a stack
 * (no passphrase, no Pulumi CLI, another writer owns it) before loading the Automation API, which
 * costs about 0.45 CPU-s at every start.
 */
export class LazyDriver implements StackDriver {
    private made?: StackDriver;

    constructor(private readonly make: () => StackDriver, private readonly readiness: Pick<StackDriver, "assertReady">) {}

    private get driver(): StackDriver {
        return (this.made ??= this.make());
    }

    assertReady(stacks: readonly string[]): void {
        this.readiness.assertReady(stacks);
    }
    listStacks(): Promise<string[]> {
        return this.driver.listStacks();
    }
    createStack(stack: string, template: string): Promise<void> {
        return this.driver.createStack(stack, template);
    }
    run(stack: string, operation: Operation, options?: OperationOptions): Promise<OperationResult> {
        return this.driver.run(stack, operation, options);
    }
    previewRefresh(stack: string, options?: OperationOptions): Promise<DriftFinding[]> {
        return this.driver.previewRefresh(stack, options);
    }
    removeStack(stack: string): Promise<void> {
        return this.driver.removeStack(stack);
    }
    cancelStaleUpdate(stack: string): Promise<void> {
        return this.driver.cancelStaleUpdate(stack);
    }
    getConfig(stack: string, key: string): Promise<string | undefined> {
        return this.driver.getConfig(stack, key);
    }
    outputs(stack: string): Promise<Record<string, unknown>> {
        return this.driver.outputs(stack);
    }
    getTags(stack: string): Promise<Record<string, string>> {
        return this.driver.getTags(stack);
    }
    setTags(stack: string, tags: Record<string, string>): Promise<void> {
        return this.driver.setTags(stack, tags);
    }
}
