/** Writes policy/taggable-types.ts from the installed provider SDKs' declarations. */
import * as fs from "node:fs";
import * as path from "node:path";
import { taggableModule } from "./taggable-scan";

fs.writeFileSync(path.join(__dirname, "taggable-types.ts"), taggableModule());
