import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { evaluate, quotaReport } from "../../policies/evaluate";
import { PreviewResult, QuotaReport, QuotaRow, runPreview } from "../../tools/preview";
import { renderText } from "../../tools/preview/render";
import { ROOT, stackConfig } from "../helpers";

/** Compile-time check of the contract with the offline preview, which loads `quotaReport` from policies/evaluate.ts. */
export const quotaContract: QuotaReport = quotaReport;

const PLATFORM = "privatelink-platform:platform";

function withoutQuotas(config: Record<string, unknown>): Record<string, unknown> {
    const platform = { ...(config[PLATFORM] as Record<string, unknown>) };
    delete platform.quotas;
    return { ...config, [PLATFORM]: platform };
}

function row(result: PreviewResult, code: string): QuotaRow {
    const r = result.quotas?.find(q => q.code === code);
    assert.ok(r, `no quota row ${code} in ${JSON.stringify(result.quotas?.map(q => q.code))}`);
    return r;
}

/** The table line of one quota code. */
function line(text: string, code: string): string {
    const l = text.split("\n").find(x => x.startsWith("    ") && !x.startsWith("     ") && x.includes(` ${code}  `));
    assert.ok(l, `no table line for ${code}`);
    return l;
}

describe("the plan's quota table (dev)", function () {
    this.timeout(120_000);
    const declared = runPreview({ projectDir: ROOT, stack: "dev", mode: "preview", evaluatePolicies: evaluate, quotaReport });
    const undeclared = runPreview({ projectDir: ROOT, stack: "dev", mode: "preview", stackConfig: withoutQuotas(stackConfig("dev")), evaluatePolicies: evaluate, quotaReport });

    it("prints each quota's name and code, the need, the declared limit marked as not verifiable offline, the status and the raise command", async () => {
        const result = await declared;
        const text = renderText(result);
        assert.match(text, /\nQuotas \(us-east-1; needs counted from this plan/);
        assert.match(line(text, "L-F678F1CE"), /^ {4}vpc: VPCs per Region +L-F678F1CE +12 +20 \(declared, not verifiable offline\) +declared$/);
        assert.match(text, /L-F678F1CE.*\n {8}raise: aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value 20 --region us-east-1\n/);
        assert.match(line(text, "L-3032A538"), /fargate: Fargate On-Demand vCPU resource count +L-3032A538 +4\.25–10\.75 +24 \(declared, not verifiable offline\) +declared$/);
        assert.match(line(text, "L-DB2E81BA"), /ec2: Running On-Demand G and VT instances +L-DB2E81BA +4–8 +8 \(declared, not verifiable offline\)/);
        assert.match(line(text, "L-29B6F2EB"), /Interface VPC endpoints per VPC +L-29B6F2EB +\d+ \([a-z]+-vpc\) +50 \(AWS default\) +within default$/);
        assert.match(line(text, "L-B99A9384"), /lambda: Concurrent executions +L-B99A9384 +161 +1000 \(declared, not verifiable offline\) +declared$/);
        assert.ok(text.indexOf("\nQuotas (") < text.indexOf("\nResources:"), "the table comes before the resource summary");
    });

    it("without the declarations marks the excess and the plan has the mandatory violation", async () => {
        const result = await undeclared;
        const text = renderText(result);
        assert.match(line(text, "L-F678F1CE"), /L-F678F1CE +12 +5 \(AWS default\) +❌ exceeds default$/);
        assert.match(text, /--quota-code L-F678F1CE --desired-value 12 --region us-east-1/);
        assert.ok(result.violations.some(v => v.policy === "quotas-within-limits" && v.enforcementLevel === "mandatory" && v.message.includes("L-F678F1CE")));
        assert.strictEqual(row(result, "L-F678F1CE").status, "exceeds default");
    });

    it("carries the same under `quotas` in the JSON document of `npm run plan -- --json`", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const file = path.join(dir, "Pulumi.dev.yaml");
        fs.writeFileSync(file, YAML.stringify({ config: stackConfig("dev") }));
        const run = spawnSync(process.execPath, [path.join(ROOT, "tools/preview/bin.js"), "--stack", "dev", "--config-file", file, "--json"], {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 120_000,
            maxBuffer: 64 * 1024 * 1024, // the plan of dev is over a megabyte of JSON
        });
        assert.strictEqual(run.status, 0, run.stderr);
        const doc = JSON.parse(run.stdout) as PreviewResult;
        assert.deepStrictEqual(Object.keys(doc), ["stack", "project", "mode", "resources", "outputs", "violations", "summary", "needsInput", "offlineFallbacks", "world", "startedFrom", "diagnostics", "reachability", "quotas", "cost", "frontDoor"]);
        assert.deepStrictEqual(doc.quotas, (await declared).quotas);
        const vpcs = row(doc, "L-F678F1CE");
        assert.deepStrictEqual(
            { need: vpcs.need, default: vpcs.default, declared: vpcs.declared, limit: vpcs.limit, limitSource: vpcs.limitSource, status: vpcs.status, serviceCode: vpcs.serviceCode },
            { need: 12, default: 5, declared: 20, limit: 20, limitSource: "declared, not verifiable offline", status: "declared", serviceCode: "vpc" },
        );
        assert.match(vpcs.raise, /^aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value 20 --region us-east-1$/);
        assert.match(vpcs.source, /docs\.aws\.amazon\.com/);
    });
});
