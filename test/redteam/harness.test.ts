import * as assert from "assert";
import { cleanUp, mandatoryOf, planEdited } from "./harness";

describe("red-team harness", function () {
    this.timeout(120_000);
    after(cleanUp);

    it("plans the unedited program clean, so every finding in a case comes from its edit", async () => {
        for (const mode of ["up", "preview"] as const) {
            const r = await planEdited([], { mode });
            assert.ok(r.resources.length > 100, `${mode}: ${r.resources.length} resources`);
            assert.deepStrictEqual(mandatoryOf(r.violations).map(v => `${v.policy}: ${v.message}`), [], mode);
        }
    });

    it("applies an edit to the program and the real pack judges it", async () => {
        const r = await planEdited([{
            file: "index.ts",
            insert: `import * as aws from "@pulumi/aws";\nnew aws.ec2.InternetGateway("stray-igw", {});`,
        }], { mode: "up" });
        assert.ok(r.resources.some(x => x.type === "aws:ec2/internetGateway:InternetGateway" && x.name === "stray-igw"));
        assert.ok(mandatoryOf(r.violations).some(v => v.policy === "no-internet-or-cross-vpc-gateways"));
    });

    it("plans each case's own edits only: a module one case edited is the project's again in the next, and a module edited anew is reloaded", async () => {
        // Cases share one copy of the program and reuse the modules no edit touched (harness.ts editedProject, runPreview changedSinceLastRun).
        const deep = (tag: string) => [{ file: "components/isolatedVpc.ts", replace: ["this.registerOutputs({", `new aws.ec2.InternetGateway(\`\${name}-${tag}\`, {}, { parent: this });\n        this.registerOutputs({`] as [string, string] }];
        const gateways = (r: Awaited<ReturnType<typeof planEdited>>) => r.resources.filter(x => x.type === "aws:ec2/internetGateway:InternetGateway").map(x => x.name.replace(/^.*-/, "")).sort();
        assert.deepStrictEqual([...new Set(gateways(await planEdited(deep("first"), { mode: "up" })))], ["first"]);
        assert.deepStrictEqual(gateways(await planEdited([], { mode: "up" })), [], "the edited module is the project's again");
        assert.deepStrictEqual([...new Set(gateways(await planEdited(deep("second"), { mode: "up" })))], ["second"], "an edit to a module loaded before is loaded");
    });

    it("refuses an edit whose anchor is not in the file, instead of planning the unedited program", () => {
        return assert.rejects(planEdited([{ file: "index.ts", after: "no such text", insert: "x" }], { mode: "up" }), /anchor not found/);
    });
});
