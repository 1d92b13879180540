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

    it("refuses an edit whose anchor is not in the file, instead of planning the unedited program", () => {
        return assert.rejects(planEdited([{ file: "index.ts", after: "no such text", insert: "x" }], { mode: "up" }), /anchor not found/);
    });
});
