// Pulumi's entry point (Pulumi.yaml `main`): an exported async function is run as the stack program.
import { program } from "./program";

export = program;
