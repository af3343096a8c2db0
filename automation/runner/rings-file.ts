/** The rollout rings' file in the project folder (its own module so the CLI's help needs nothing else). */
export const RINGS_FILE = "rings.yaml";
