// The shipped policy pack, run the way Pulumi runs `--policy-pack <dir>`: the engine starts
// `node @pulumi/pulumi/cmd/run-policy-pack <engine> .` in the pack's folder, locating that module
// from the folder (pulumi v3.248.0 sdk/go/common/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer;
// sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin), reads the port the pack prints, and
// sends each resource to the Analyzer service's Analyze (analyzer_plugin.go, analyzer.Analyze).
import { ChildProcess, spawn } from "child_process";
import * as readline from "readline";

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's generated gRPC stubs ship as CommonJS without typings */
const grpc = require("@grpc/grpc-js");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

/** pulumirpc.EnforcementLevel, by number (proto/analyzer.proto). */
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

export interface Diagnostic {
    readonly policy: string;
    readonly level: string;
    readonly message: string;
}

export interface Resource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

export class PolicyServer {
    private constructor(private readonly child: ChildProcess, private readonly client: any) {}

    static async start(packDir: string): Promise<PolicyServer> {
        const host = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        const child = spawn(process.execPath, [host, "127.0.0.1:0", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr!.on("data", (chunk) => (stderr += chunk));
        const port = await new Promise<string>((resolve, reject) => {
            readline.createInterface({ input: child.stdout! }).once("line", (line) => resolve(line.trim()));
            child.once("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving: ${stderr}`)));
        });
        const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new PolicyServer(child, client);
    }

    /** The pack's name, version and policies, as the engine asks before analysing. */
    info(): Promise<{ name: string; version: string; policies: string[] }> {
        return new Promise((resolve, reject) =>
            this.client.getAnalyzerInfo(new Empty(), (err: Error | null, info: any) =>
                err ? reject(err) : resolve({ name: info.getName(), version: info.getVersion(), policies: info.getPoliciesList().map((p: any) => p.getName()) })));
    }

    /** What the pack reports on one resource, its inputs as the engine marshals them. */
    analyze(resource: Resource): Promise<Diagnostic[]> {
        const request = new analyzerProto.AnalyzeRequest();
        request.setUrn(resource.urn);
        request.setType(resource.type);
        request.setName(resource.name);
        request.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(resource.inputs))));
        request.setOptions(new analyzerProto.AnalyzerResourceOptions());
        return new Promise((resolve, reject) =>
            this.client.analyze(request, (err: Error | null, response: any) =>
                err ? reject(err) : resolve(response.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), level: LEVELS[d.getEnforcementlevel()], message: d.getMessage() })))));
    }

    stop(): void {
        this.client.close();
        this.child.kill();
    }
}
