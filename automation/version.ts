import * as fs from "node:fs";
import * as path from "node:path";

/** paved's own version: its package.json, found upwards from this file (source or dist/). */
export function pavedVersion(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string }).version ?? "unknown";
    }
    return "unknown";
}
