import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { rec } from "./fixtures";
import { ANCHOR_MAP, OUT_OF_SCOPE } from "../lib/anchors";
import { run } from "./helpers";

/**
 * Measures the pack against Pulumi compliance-policies' own spec cases (the
 * shared anchors data, not vendored here): every case whose policy maps to
 * one of our rules must get the same verdict; every other case is listed as
 * out of scope with the reason.
 */
const ANCHORS = process.env.PRIVATELINK_ANCHORS ?? path.resolve(__dirname, "../../../shared/anchors");
const FILE = path.join(ANCHORS, "compliance-policies-cases.json");

interface AnchorCase {
    source: string;
    policy: string;
    type: string;
    props: Record<string, unknown>;
    expectViolation: boolean;
}

describe("anchors: Pulumi compliance-policies spec cases", function () {
    if (!fs.existsSync(FILE)) {
        it(`needs ${FILE} (set PRIVATELINK_ANCHORS)`, function () {
            this.skip();
        });
        return;
    }
    const cases = JSON.parse(fs.readFileSync(FILE, "utf8")) as AnchorCase[];

    it("accounts for every case: mapped to a rule of ours or listed out of scope with a reason", () => {
        assert.strictEqual(cases.length, 109);
        const unaccounted = [...new Set(cases.map((c) => c.policy))].filter((p) => !(p in ANCHOR_MAP) && !(p in OUT_OF_SCOPE));
        assert.deepStrictEqual(unaccounted, []);
        for (const reason of Object.values(OUT_OF_SCOPE)) {
            assert.ok(reason.length > 10);
        }
    });

    it("agrees with every in-scope case", async () => {
        const inScope = cases.filter((c) => c.policy in ANCHOR_MAP);
        const disagreements: string[] = [];
        for (const c of inScope) {
            const ours = ANCHOR_MAP[c.policy];
            const vs = await run([rec(c.type, "anchor", c.props)], [ours], { mode: "up" });
            const violated = vs.some((v) => !v.unknown);
            if (violated !== c.expectViolation) {
                disagreements.push(`${c.source} (${c.policy} -> ${ours}): expected ${c.expectViolation ? "a violation" : "none"}, got ${JSON.stringify(vs.map((v) => v.message))}`);
            }
        }
        assert.strictEqual(inScope.length, 38);
        assert.deepStrictEqual(disagreements, [], `agreement ${inScope.length - disagreements.length}/${inScope.length}`);
    });
});
