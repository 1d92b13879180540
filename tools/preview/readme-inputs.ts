/**
 * README "Deploying for real", step 3: the table of every value the shipped
 * `dev` and `prod` stacks leave as `{ needsInput: ... }`, generated from the
 * stack files with the catalog's own extraction (components/catalog/needsInput.ts),
 * between two markers. test/platform/readme-inputs.test.ts fails when it is
 * out of date.
 *
 *   npm run readme:inputs            rewrite the block in README.md
 *   npm run readme:inputs -- --check exit 1 when the block differs
 */
import * as fs from "fs";
import * as path from "path";
import { extractNeedsInput } from "../../components/catalog/needsInput";
import { rawCatalog } from "../../components/catalog/environment";
import { BlockMarkers, currentBlock, withBlock } from "../insights/readme-diagram";
import { readProject, readStackConfig } from "./config";

export const INPUT_STACKS = ["dev", "prod"] as const;
export const MARKERS: BlockMarkers = {
    begin: "<!-- needs-input:begin (generated from the dev and prod stack files by `npm run readme:inputs`; do not edit) -->",
    end: "<!-- needs-input:end -->",
};

/** Every needs-input value of the given stacks, by path: which stacks leave it unset, and what it is. */
export function needsInputRows(projectDir: string, stacks: readonly string[] = INPUT_STACKS): { path: string; service?: string; stacks: string[]; what: string }[] {
    const project = readProject(projectDir);
    const rows = new Map<string, { path: string; service?: string; stacks: string[]; what: string }>();
    for (const stack of stacks) {
        // The stack file's keys as the program reads them (the one mapping: components/catalog/environment.ts).
        const { needsInput } = extractNeedsInput(rawCatalog(readStackConfig(project, stack)), stack);
        for (const n of needsInput) {
            const row = rows.get(n.path) ?? { path: n.path, service: n.service, stacks: [], what: n.what };
            row.stacks.push(stack);
            rows.set(n.path, row);
        }
    }
    return [...rows.values()];
}

/** The Markdown table between the markers. */
export function inputsBlock(projectDir: string): string {
    const lines = ["| value | stacks | what it is |", "| --- | --- | --- |"];
    for (const r of needsInputRows(projectDir)) {
        const what = r.what.replace(/\|/g, "\\|").replace(/\n/g, " ");
        lines.push(`| \`${r.path}\`${r.service ? ` (\`${r.service}\`)` : ""} | ${r.stacks.join(", ")} | ${what} |`);
    }
    return lines.join("\n");
}

function main(argv: string[]): number {
    const root = path.resolve(__dirname, "..", "..");
    const file = path.join(root, "README.md");
    const readme = fs.readFileSync(file, "utf8");
    const block = inputsBlock(root);
    if (argv.includes("--check")) {
        if (currentBlock(readme, MARKERS) === block) return 0;
        process.stderr.write("README.md's needs-input table is out of date: run `npm run readme:inputs`\n");
        return 1;
    }
    fs.writeFileSync(file, withBlock(readme, block, MARKERS));
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
