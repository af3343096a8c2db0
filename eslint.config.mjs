// Lint: typescript-eslint's type-aware rules plus Pulumi's own (an Output in a template literal
// renders as a warning string, not its value — use pulumi.interpolate).
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // What git ignores (builds, mutation sandboxes, reports), vendored upstream data and generated validators are not ours to lint;
    // test/consumer/ is a team's own project, checked with its own settings by npm run test:consumer.
    { ignores: ["dist/", "node_modules/", "vendor/", "model-validators/", ".stryker-tmp/", "reports/", "drills/", "eslint.config.mjs", "test/consumer/"] },
    ...tseslint.configs.recommendedTypeChecked,
    {
        // One program from tsconfig.json (everything ours) for all files: about two-thirds of the project service's CPU time.
        // npm test (scripts/check.mjs) hands ESLint the very program it type-checks instead.
        languageOptions: { parserOptions: { project: ["./tsconfig.json"], tsconfigRootDir: import.meta.dirname } },
        plugins: { pulumi },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            // Pulumi resources are often created for their side effect alone.
            "no-new": "off",
        },
    },
    {
        // Plain Node scripts (npm run setup, the loader from source, mocha's reporter): not part of the TypeScript program, so linted without types.
        files: ["scripts/**/*.mjs", "test/**/*.cjs", "automation/**/*.cjs"],
        ...tseslint.configs.disableTypeChecked,
        rules: { ...tseslint.configs.disableTypeChecked.rules, "pulumi/no-output-in-template-literal": "off", "pulumi/no-output-instance-in-template-literal": "off" },
    },
    {
        // CommonJS is what mocha loads by `require`.
        files: ["test/**/*.cjs", "automation/**/*.cjs"],
        languageOptions: { sourceType: "commonjs" },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // Policies read the raw properties of any resource type: untyped by nature.
        files: ["policy/**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
        },
    },
    {
        files: ["test/**/*.ts"],
        rules: {
            // chai's `expect(x).to.be.true` is an expression statement by design.
            "@typescript-eslint/no-unused-expressions": "off",
            // Tests assert on recorded resource inputs: untyped JSON by nature.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-return": "off",
            "@typescript-eslint/no-non-null-assertion": "off",
        },
    },
);
