import { Command } from "commander";

/** Adds `paved trace`'s arguments and options: apart from the command, so the CLI registers it in one line without loading it. */
export function traceOptions(command: Command): Command {
    return command
        .description("Why is a service slow: its latency now against its SLO, and its slowest traces with their slowest span and a Grafana link")
        .argument("<service>", "the service, as in its SLO and its traces' service.name, e.g. api")
        .option("--stack <name>", "the regional stack whose Prometheus, Tempo and Grafana to ask (its outputs), and whose SLOs to compare with")
        .option("--since <duration>", "the window, e.g. 15m, 1h", "15m")
        .option("--slowest <n>", "how many of the slowest traces to show", "5")
        .option("--prometheus <url>", "Prometheus's base URL, instead of the stack's prometheusUrl output (e.g. a port-forward)")
        .option("--tempo <url>", "Tempo's query URL, instead of the stack's tempoUrl output")
        .option("--grafana <url>", "Grafana's URL for the links, instead of the stack's grafanaUrl output")
        .option("--json", "machine-readable output");
}
