import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { stackFiles } from "./helpers";

const root = path.resolve(__dirname, "..");

describe("CI coverage of stacks", () => {
    const workflow = YAML.parse(fs.readFileSync(path.join(root, ".github/workflows/preview.yml"), "utf8"));
    const job = workflow.jobs.preview;
    const matrix: string[] = job.strategy.matrix.stack;

    it("previews every stack file with the policy pack", () => {
        const missing = stackFiles().filter(s => !matrix.includes(s));
        assert.deepStrictEqual(missing, [], `stacks without CI preview: add them to jobs.preview.strategy.matrix.stack in .github/workflows/preview.yml`);
        const extra = matrix.filter(s => !stackFiles().includes(s));
        assert.deepStrictEqual(extra, [], "the preview matrix names stacks that have no stack file");
    });

    it("runs pulumi preview with the pack and each stack's policy config", () => {
        const step = job.steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
        assert.ok(step, "no pulumi/actions step");
        assert.strictEqual(step.with.command, "preview");
        assert.strictEqual(step.with.policyPacks, "policies");
        assert.strictEqual(step.with.policyPackConfigs, "policies/config/${{ matrix.stack }}.json");
        for (const stack of stackFiles()) {
            assert.ok(fs.existsSync(path.join(root, "policies/config", `${stack}.json`)), `policies/config/${stack}.json is missing`);
        }
    });

    it("finds stack files by name only", () => {
        const tmp = fs.mkdtempSync(path.join(require("os").tmpdir(), "stacks-"));
        for (const f of ["Pulumi.dev.yaml", "Pulumi.qa.yml", "README.md", "Pulumi.yaml"]) {
            fs.writeFileSync(path.join(tmp, f), "");
        }
        assert.deepStrictEqual(stackFiles(tmp), ["dev", "qa"]);
    });
});
