import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { anchorFile, ANCHORS_ENV, ANCHORS_OPTIONAL_ENV } from "./anchors-data";
import { rec } from "./fixtures";
import { ANCHOR_MAP, OUT_OF_SCOPE } from "../lib/anchors";
import { run } from "./helpers";

/**
 * Measures the pack against Pulumi compliance-policies' own spec cases (the
 * shared anchors data, not vendored here): every case whose policy maps to
 * one of our rules must get the same verdict; every other case is listed as
 * out of scope with the reason.
 */

interface AnchorCase {
    source: string;
    policy: string;
    type: string;
    props: Record<string, unknown>;
    expectViolation: boolean;
}

describe("anchors data", () => {
    it("is required: a missing folder fails with what to do, and skips only when allowed explicitly", () => {
        const nowhere = fs.mkdtempSync(path.join(os.tmpdir(), "no-anchors-"));
        try {
            assert.throws(() => anchorFile("compliance-policies-cases.json", {}, path.join(nowhere, "clone")), new RegExp(`${ANCHORS_ENV}.*${ANCHORS_OPTIONAL_ENV}=1`));
            assert.strictEqual(anchorFile("compliance-policies-cases.json", { [ANCHORS_OPTIONAL_ENV]: "1" }, path.join(nowhere, "clone")), undefined);
            fs.mkdirSync(path.join(nowhere, "shared", "anchors"), { recursive: true });
            fs.writeFileSync(path.join(nowhere, "shared", "anchors", "x.json"), "[]");
            assert.strictEqual(anchorFile("x.json", {}, path.join(nowhere, "wt", "clone")), path.join(nowhere, "shared", "anchors", "x.json"), "found beside a parent directory");
        } finally {
            fs.rmSync(nowhere, { recursive: true, force: true });
        }
    });
});

describe("anchors: Pulumi compliance-policies spec cases", function () {
    let file: string | undefined;
    try {
        file = anchorFile("compliance-policies-cases.json");
    } catch (e) {
        it("has the anchors data", () => {
            throw e;
        });
        return;
    }
    if (!file) {
        it(`skipped: ${ANCHORS_OPTIONAL_ENV}=1 and no anchors data`, function () {
            this.skip();
        });
        return;
    }
    const cases = JSON.parse(fs.readFileSync(file, "utf8")) as AnchorCase[];

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
