import * as assert from "assert";
import { exampleService, RUNTIME_MODULES, RUNTIME_NAMES, RuntimeName, runtimeModule } from "../../components/runtimes";
import { quotaReport } from "../../policies/lib/quotas";
import { estimateMonthlyCost } from "../../tools/insights/cost";
import type { PreviewResult, ResourceRecord } from "../../tools/preview";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { catalogConfig, plan } from "../helpers";
import { cleanUp, planEdited } from "../redteam/harness";

/**
 * Each runtime's declaration (components/runtimes/<runtime>/index.ts and its
 * pack side, policies/facts/runtimes/<runtime>.ts) against what its component
 * creates, planned offline from a one-service catalog of that runtime.
 */

const SERVICE = "svc";
const TAG_KIND = "privatelink:endpoint-kind";

/** The one-service catalog of a runtime: its example, with EKS access entries so every declared type is created. */
function oneService(runtime: RuntimeName): Record<string, unknown> {
    return catalogConfig([exampleService(runtime, SERVICE, 8080)], {
        availabilityZones: 2,
        eks: {
            adminRoleArns: [`arn:aws:iam::${ACCOUNT_ID}:role/platform-admin`],
            viewRoleArns: [`arn:aws:iam::${ACCOUNT_ID}:role/auditor`],
            publicAccessCidrs: ["34.120.7.0/24"],
        },
    });
}

const typeOf = (byUrn: Map<string, ResourceRecord>, urn: string | null | undefined) => (urn ? byUrn.get(urn)?.type : undefined);

/** Everything a plan shows that the runtime's declaration does not say, or says and the plan does not show. */
export function declarationMismatches(runtime: RuntimeName, result: PreviewResult, config: Record<string, unknown>): string[] {
    const m = runtimeModule(runtime);
    const facts = m.facts;
    const out: string[] = [];
    const byUrn = new Map(result.resources.map(r => [r.urn, r]));
    const component = result.resources.find(r => r.type === facts.component && r.name === SERVICE);
    if (!component) return [`no ${facts.component} named ${SERVICE} in the plan`];
    const under = (r: ResourceRecord) => {
        for (let p = r.parent; p; p = byUrn.get(p)?.parent ?? null) if (p === component.urn) return true;
        return false;
    };
    const mine = result.resources.filter(under);

    // Every resource type below the component, with its parent's type, is declared; every declared one is created.
    const declared = new Set([
        ...facts.types.map(t => `${t.type} under ${t.parent ?? facts.component}`),
        ...(facts.remoteChildren ?? []).filter(c => c.created).map(c => `${c.type} under ${c.parent}`),
    ]);
    const created = new Set(mine.map(r => `${r.type} under ${typeOf(byUrn, r.parent)}`));
    for (const c of [...created].sort()) if (!declared.has(c)) out.push(`${c} is created but not declared (policies/facts/runtimes/${runtime}.ts: types)`);
    for (const t of facts.types) {
        const d = `${t.type} under ${t.parent ?? facts.component}`;
        if (!created.has(d)) out.push(`${d} is declared but not created`);
    }

    // The service VPC's AWS-service endpoints are the declared ones.
    const vpc = result.resources.find(r => r.type === "privatelink:network:IsolatedVpc" && r.name === SERVICE);
    const endpoints = result.resources.filter(r => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.parent === vpc?.urn && (r.inputs.tags as Record<string, string> | undefined)?.[TAG_KIND] === "aws-service");
    const have = (type: string) => endpoints.filter(e => (e.inputs.vpcEndpointType ?? "Gateway") === type).map(e => String(e.inputs.serviceName).split(".").slice(3).join(".")).sort();
    const want = { interface: [...facts.endpoints.interface].sort(), gateway: [...facts.endpoints.gateway].sort() };
    const got = { interface: have("Interface"), gateway: have("Gateway") };
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`the VPC's AWS-service endpoints are ${JSON.stringify(got)}, the declaration says ${JSON.stringify(want)}`);

    // The PrivateLink target group is bound as declared.
    const link = result.resources.find(r => r.type === "privatelink:mesh:PrivateLinkService" && r.name === SERVICE);
    const tg = result.resources.find(r => r.type === "aws:lb/targetGroup:TargetGroup" && r.parent === link?.urn);
    if (tg?.inputs.targetType !== m.binding.targetType) out.push(`the NLB's target group has targetType ${String(tg?.inputs.targetType)}, the binding says ${m.binding.targetType}`);

    // The quota counter counts the declared quotas, and no other runtime's.
    const rows = new Map(quotaReport(result.resources, config).map(q => [q.code, q.need]));
    const runtimeCodes = new Set(RUNTIME_NAMES.flatMap(n => runtimeModule(n).facts.quotas.map(q => q.code)));
    const mineCodes = new Set(facts.quotas.map(q => q.code));
    for (const q of facts.quotas) {
        if (!mine.some(r => r.type === q.counts)) out.push(`quota ${q.code} counts ${q.counts}, which the component does not create`);
        if (!((rows.get(q.code) ?? 0) > 0)) out.push(`quota ${q.code} is declared, but the quota counter needs none of it`);
    }
    for (const code of runtimeCodes) {
        if (!mineCodes.has(code) && (rows.get(code) ?? 0) > 0) out.push(`the quota counter needs ${rows.get(code)} of ${code}, which the declaration does not list`);
    }

    // The cost estimate prices the component's resources under exactly the declared categories.
    const estimate = estimateMonthlyCost(result.resources, { region: "us-east-1", stackConfig: config });
    const priced = new Set((estimate.services[SERVICE]?.lines ?? []).filter(l => l.resourceUrn && mine.some(r => r.urn === l.resourceUrn)).map(l => l.category as string));
    if (JSON.stringify([...priced].sort()) !== JSON.stringify([...m.costs].sort())) out.push(`the cost estimate prices the component under ${JSON.stringify([...priced].sort())}, the declaration says ${JSON.stringify([...m.costs].sort())}`);
    return out;
}

describe("runtime declarations match what each runtime's component creates", function () {
    this.timeout(600_000);
    after(cleanUp);

    it("registers one declaration per runtime on each side, under its own name", () => {
        assert.deepStrictEqual(Object.keys(RUNTIME_MODULES), RUNTIME_NAMES);
        for (const name of RUNTIME_NAMES) assert.strictEqual(runtimeModule(name).facts.name, name);
    });

    for (const runtime of RUNTIME_NAMES) {
        it(`${runtime}: types with parents, AWS-service endpoints, binding, quotas and cost lines`, async () => {
            const config = oneService(runtime);
            const result = await plan(config, "up");
            assert.deepStrictEqual(result.errors ?? [], []);
            assert.deepStrictEqual(declarationMismatches(runtime, result, config), []);
        });
    }

    it("fails for a resource added to a runtime's component without declaring it", async () => {
        const config = oneService("fargate");
        const result = await planEdited([{
            file: "components/runtimes/fargate/component.ts",
            before: "        this.registerOutputs({",
            insert: "        new aws.sqs.Queue(`${name}-jobs`, { tags: args.tags }, { parent: this });\n",
        }], { mode: "up", stackConfig: config });
        assert.deepStrictEqual(result.errors ?? [], []);
        assert.deepStrictEqual(declarationMismatches("fargate", result, config), [
            "aws:sqs/queue:Queue under privatelink:runtime:FargateService is created but not declared (policies/facts/runtimes/fargate.ts: types)",
        ]);
    });
});
