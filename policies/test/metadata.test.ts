// Not in `npm run test:quick`: it starts processes (the pack's analyzer, the metadata generator).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ANCHOR_MAP } from "../lib/anchors";
import { renderPolicyDocs } from "../lib/docs";
import { anchorFile } from "./anchors-data";
import { isStackRule } from "../lib/rule";
import { policies, rules } from "../rules";

const PACK = path.resolve(__dirname, "..");
const ROOT = path.resolve(PACK, "..");

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === "node_modules" ? [] : walk(path.join(dir, e.name))) : [path.join(dir, e.name)]));
}

/** checkov rows whose id column is empty in the shared lists, with the class name the row does carry. */
const CHECKOV_BLANK_ROWS: Record<string, string> = {
    CKV_AWS_24: "SecurityGroupUnrestrictedIngress22",
    CKV_AWS_25: "SecurityGroupUnrestrictedIngress3389",
    CKV_AWS_260: "SecurityGroupUnrestrictedIngress80",
    CKV_AWS_277: "SecurityGroupUnrestrictedIngressAny",
    CKV_AWS_382: "SecurityGroupUnrestrictedEgressAny",
};

describe("rule metadata", () => {
    it("every rule has a unique kebab-case name, a description, severity, remediation, a default level and an area", () => {
        const names = rules.map((r) => r.name);
        assert.strictEqual(new Set(names).size, names.length, "duplicate rule names");
        for (const r of rules) {
            assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)+$/, r.name);
            assert.ok(r.description.length > 20, `${r.name}: description`);
            assert.ok(r.remediationSteps.length > 20, `${r.name}: remediationSteps`);
            assert.ok(["low", "medium", "high", "critical"].includes(r.severity), `${r.name}: severity`);
            assert.ok(["advisory", "mandatory"].includes(r.enforcementLevel), `${r.name}: level`);
            assert.ok(r.meta.rationale.length > 20, `${r.name}: rationale`);
            assert.ok(!("enforcementLevel" in (r.configSchema?.properties ?? {})), `${r.name}: enforcementLevel is reserved`);
        }
    });

    it("lives one rule per file at rules/<area>/<name>.ts", () => {
        const files = walk(path.join(PACK, "rules")).filter((f) => f.endsWith(".ts") && path.basename(f) !== "index.ts");
        assert.strictEqual(files.length, rules.length);
        for (const r of rules) {
            assert.ok(fs.existsSync(path.join(PACK, "rules", r.meta.area, `${r.name}.ts`)), `rules/${r.meta.area}/${r.name}.ts`);
        }
    });

    it("serves each rule wrapped with the exemptions config key", () => {
        assert.strictEqual(policies.length, rules.length);
        for (const p of policies) {
            assert.ok(p.configSchema?.properties.exemptions, p.name);
        }
    });

    it("cites ids that exist: checkov ids in checkov's lists, compliance-policies ids in their spec cases where those cover the resource, cdk-nag ids in its naming scheme", function () {
        const tsv = ["checkov-aws-resource-checks.tsv", "checkov-aws-graph-checks.tsv"].map((f) => anchorFile(f));
        const casesFile = anchorFile("compliance-policies-cases.json");
        if (tsv.some((f) => !f) || !casesFile) {
            this.skip();
        }
        const text = tsv.map((f) => fs.readFileSync(f!, "utf8")).join("\n");
        const known = new Set(text.match(/CKV2?_AWS_\d+/g) ?? []);
        // compliance-policies ids are aws-<service>-<resource>-<check>; the spec cases cover some resources whole.
        const cpPolicies = new Set((JSON.parse(fs.readFileSync(casesFile!, "utf8")) as { policy: string }[]).map((c) => c.policy));
        const resourceOf = (id: string) => id.split("-").slice(0, 3).join("-");
        const coveredResources = new Set([...cpPolicies].map(resourceOf));
        let checkedAgainstData = 0;
        for (const r of rules) {
            for (const id of r.meta.equivalents.checkov ?? []) {
                if (CHECKOV_BLANK_ROWS[id]) {
                    assert.ok(text.includes(`|${CHECKOV_BLANK_ROWS[id]}|`), `${id} -> ${CHECKOV_BLANK_ROWS[id]}`);
                } else {
                    assert.ok(known.has(id), `${r.name}: unknown checkov id ${id}`);
                }
            }
            // The anchors data holds no cdk-nag list: only the naming scheme can be checked.
            for (const id of r.meta.equivalents.cdkNag ?? []) {
                assert.match(id, /^(AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-[A-Za-z0-9]+$/, `${r.name}: ${id}`);
            }
            for (const id of r.meta.equivalents.compliancePolicies ?? []) {
                assert.match(id, /^aws-[a-z0-9]+-[a-z0-9]+-[a-z0-9-]+$/, `${r.name}: ${id}`);
                if (coveredResources.has(resourceOf(id))) {
                    assert.ok(cpPolicies.has(id), `${r.name}: ${id} is not a compliance-policies policy of ${resourceOf(id)} (their spec cases list ${[...cpPolicies].filter((p) => resourceOf(p) === resourceOf(id)).join(", ")})`);
                    assert.strictEqual(ANCHOR_MAP[id], r.name, `${r.name} cites ${id}, which policies/lib/anchors.ts maps to ${ANCHOR_MAP[id]}`);
                    checkedAgainstData++;
                }
            }
        }
        assert.ok(checkedAgainstData >= 10, `${checkedAgainstData} compliance-policies ids checked against their spec cases`);
    });

    it("only the entry file constructs the PolicyPack", () => {
        const offenders = walk(PACK)
            .filter((f) => f.endsWith(".ts") && !f.includes(`${path.sep}test${path.sep}`) && f !== path.join(PACK, "index.ts"))
            .filter((f) => /new\s+PolicyPack\s*\(/.test(fs.readFileSync(f, "utf8")));
        assert.deepStrictEqual(offenders, []);
        assert.match(fs.readFileSync(path.join(PACK, "index.ts"), "utf8"), /new PolicyPack\(/);
    });

    it("rules, helpers and evaluate import without starting a server (the process exits on its own)", () => {
        const script = `require("ts-node/register/transpile-only"); require("./policies/rules"); require("./policies/evaluate"); require("./policies/lib/graph"); console.log("loaded");`;
        const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(run.stdout.trim(), "loaded", "nothing else (no port) is printed");
    });

    it("has the package files the CLI needs", () => {
        const yaml = fs.readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8");
        assert.match(yaml, /^runtime: nodejs$/m);
        assert.match(yaml, /^description: .+/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8"));
        assert.strictEqual(pkg.main, "index.ts");
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
    });
});

describe("docs/policies.md", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "policies.md"), "utf8");

    it("is generated from the current rule metadata (run policies/scripts/gen-docs.ts)", () => {
        assert.ok(doc === renderPolicyDocs(rules), "docs/policies.md is stale: regenerate it with npm run -w policies docs");
    });

    it("lists every rule in the table and gives each a section with its fix and exemption", () => {
        for (const r of rules) {
            assert.ok(doc.includes(`| [\`${r.name}\`](#${r.name}) |`), `table row for ${r.name}`);
            const section = doc.split(`### ${r.name}\n`)[1]?.split("\n### ")[0] ?? "";
            assert.ok(section.includes(`- Fix: ${r.remediationSteps}`), `fix for ${r.name}`);
            assert.ok(section.includes(`"${r.name}": { "exemptions"`), `exemption for ${r.name}`);
        }
        assert.strictEqual(rules.filter(isStackRule).length > 0, true);
        assert.match(doc, /pulumi preview --policy-pack policies --policy-pack-config policies\/config\/<stack>\.json/);
    });
});
