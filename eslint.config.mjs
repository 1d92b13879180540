// Lint for TypeScript infrastructure code (npm run lint, part of npm test).
// - typescript-eslint's recommended rules on every TypeScript file;
// - Pulumi's own rules on the program and the component package, where an
//   Output in a plain template literal would print "Calling [toString] on an
//   [Output<T>] is not supported" instead of the value (@pulumi/eslint-plugin;
//   those rules need type information, so only those files are type-checked);
// - formatting is not a lint concern here: .editorconfig states it, and the
//   TypeScript compiler and the tests hold the rest.
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
    { ignores: ["**/node_modules/**", "bin/**", ".cache/**", ".bench/**", "tools/bench/cdk/**", "**/*.js", "**/*.mjs", "**/*.d.ts"] },
    ...tseslint.configs.recommended,
    {
        rules: {
            // A leading underscore marks a binding kept on purpose (a destructured field left out, an unused callback argument).
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
        },
    },
    {
        files: ["index.ts", "components/**/*.ts", "package/**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
        },
    },
);
