import * as assert from "assert";
import { ResourceRecord } from "../evaluate";
import { recordGraph } from "../lib/plan/graph";
import { countQuotaNeeds, quotaReport, QuotaRow } from "../lib/quotas";
import { INSTANCE_VCPUS, QUOTAS } from "../facts/quota-data";
import { afterUp, goodStack, rec, urnOf } from "./fixtures";
import { assertClean, assertTrips, byPolicy, mandatory, run } from "./helpers";

const RULE = "quotas-within-limits";
const PLATFORM = "privatelink-platform:platform";

function stackConfig(platform: Record<string, unknown> = {}): Record<string, unknown> {
    return { "aws:region": "eu-west-1", [PLATFORM]: platform };
}

function row(rows: QuotaRow[], code: string): QuotaRow {
    const r = rows.find((x) => x.code === code);
    assert.ok(r, `no row ${code}`);
    return r;
}

/** `n` plain VPCs. */
function vpcs(n: number): ResourceRecord[] {
    return Array.from({ length: n }, (_, i) => rec("aws:ec2/vpc:Vpc", `extra-${i}-vpc`, { cidrBlock: "10.0.0.0/16" }));
}

/** An ECS-on-EC2 host group: a launch template and an Auto Scaling group of `max` hosts. */
function hosts(name: string, instanceType: string, min: number, max: number): ResourceRecord[] {
    const lt = rec("aws:ec2/launchTemplate:LaunchTemplate", `${name}-lt`, { instanceType, vpcSecurityGroupIds: ["<unknown>"] });
    const asg = rec("aws:autoscaling/group:Group", `${name}-asg`, { minSize: min, maxSize: max, launchTemplate: { id: "<unknown>", version: "1" } }, { deps: { launchTemplate: lt } });
    return [lt, asg];
}

describe("quota counting (policies/lib/quotas)", () => {
    it("counts the stores and schedules a stack creates: tables, buckets, rules on the default event bus only", () => {
        const records = [
            rec("aws:dynamodb/table:Table", "orders-orders", { name: "dev-orders-orders" }),
            rec("aws:dynamodb/table:Table", "orders-history", { name: "dev-orders-history" }),
            rec("aws:s3/bucket:Bucket", "catalog-images", { bucket: "dev-catalog-images-111111111111" }),
            rec("aws:cloudwatch/eventRule:EventRule", "notifier-rate-5-minutes", { scheduleExpression: "rate(5 minutes)" }),
            rec("aws:cloudwatch/eventRule:EventRule", "audit-orders", { eventBusName: "audit", eventPattern: "{}" }),
        ];
        const rows = quotaReport(records, stackConfig());
        assert.deepStrictEqual(["L-F98FE922", "L-DC2B2D3D", "L-244521F2"].map((c) => [c, row(rows, c).need]), [["L-F98FE922", 2], ["L-DC2B2D3D", 1], ["L-244521F2", 1]]);
        assert.match(row(rows, "L-DC2B2D3D").detail, /every Region/);
    });

    it("has a source, a service code and a non-negative default for every quota, and unique codes", () => {
        assert.strictEqual(new Set(QUOTAS.map((q) => q.code)).size, QUOTAS.length);
        for (const q of QUOTAS) {
            assert.match(q.code, /^L-[0-9A-F]{8}$/, q.code);
            assert.ok(q.serviceCode && q.source.includes("https://") && q.default >= 0, q.code);
        }
        assert.strictEqual(INSTANCE_VCPUS["g5.xlarge"], 4);
        assert.strictEqual(INSTANCE_VCPUS["t3.large"], 2);
        assert.strictEqual(INSTANCE_VCPUS["c5.9xlarge"], 36);
        assert.strictEqual(INSTANCE_VCPUS["m7g.medium"], 1);
    });

    it("counts VPCs with the default VPC, endpoints per Region and per VPC, load balancers, target groups and Fargate vCPUs", () => {
        const { all } = goodStack();
        const rows = quotaReport(all, stackConfig());
        assert.strictEqual(row(rows, "L-F678F1CE").need, 3, "2 service VPCs + the default VPC");
        assert.match(row(rows, "L-F678F1CE").detail, /default VPC/);
        assert.strictEqual(row(rows, "L-69A177A2").need, 2);
        assert.strictEqual(row(rows, "L-B22855CB").need, 2);
        // fargateService: 256 CPU units × desiredCount 2, no scaling target.
        assert.strictEqual(row(rows, "L-3032A538").need, 1);
        assert.ok(rows.every((r) => r.ok), JSON.stringify(rows.filter((r) => !r.ok)));
        const deleted = quotaReport(all, stackConfig({ defaultVpcDeleted: true }));
        assert.strictEqual(row(deleted, "L-F678F1CE").need, 2);
        assert.strictEqual(row(rows, "L-F678F1CE").perAccountRegion, 1, "the default VPC is once per account and Region, not per stack");
        assert.strictEqual(row(deleted, "L-F678F1CE").perAccountRegion, undefined);
    });

    it("takes the Fargate need from the scaling maximum and shows the minimum", () => {
        const { all, orders } = goodStack();
        const target = rec("aws:appautoscaling/target:Target", "orders-scaling", { serviceNamespace: "ecs", minCapacity: 1, maxCapacity: 40, resourceId: "<unknown>" }, { deps: { resourceId: orders.service } });
        const r = row(quotaReport([...all, target], stackConfig()), "L-3032A538");
        assert.strictEqual(r.need, 0.25 * 40 + 0.25 * 2);
        assert.strictEqual(r.min, 0.25 * 1 + 0.25 * 2);
        assert.strictEqual(r.status, "exceeds default");
    });

    it("counts EC2 vCPUs per instance class from Auto Scaling maximum sizes, and says which types it cannot count", () => {
        const rows = quotaReport([...hosts("gpu", "g5.2xlarge", 1, 3), ...hosts("web", "m5.large", 2, 4), ...hosts("odd", "x2idn.16xlarge", 1, 1), ...hosts("new", "m9z.large", 1, 1)], stackConfig());
        assert.strictEqual(row(rows, "L-DB2E81BA").need, 24);
        assert.strictEqual(row(rows, "L-DB2E81BA").min, 8);
        assert.strictEqual(row(rows, "L-1216C47A").need, 8);
        const uncounted = rows.flatMap((r) => r.uncounted).join("\n");
        assert.match(uncounted, /odd-asg: instance type x2idn\.16xlarge belongs to an instance class without a quota/);
        assert.match(uncounted, /new-asg: instance type m9z\.large has no vCPU entry/);
    });

    it("needs reserved Lambda concurrency + 100 unreserved", () => {
        const fns = [10, 250].map((n, i) => rec("aws:lambda/function:Function", `fn${i}`, { reservedConcurrentExecutions: n }));
        const r = row(quotaReport([...fns, rec("aws:lambda/function:Function", "free", { reservedConcurrentExecutions: -1 })], stackConfig()), "L-B99A9384");
        assert.strictEqual(r.need, 360);
        assert.match(r.detail, /260 reserved .*\+ 100 that must stay unreserved/);
        // New accounts have less than the documented 1,000 (Lambda quotas): undeclared, a reservation is not trusted.
        assert.strictEqual(r.ok, false);
        const declared = (n: number) => row(quotaReport(fns, stackConfig({ quotas: { "L-B99A9384": n } })), "L-B99A9384");
        assert.deepStrictEqual([declared(400).ok, declared(400).status], [true, "declared"]);
        assert.deepStrictEqual([declared(300).ok, declared(300).status], [false, "exceeds declared"]);
        assert.strictEqual(row(quotaReport([rec("aws:lambda/function:Function", "free", { reservedConcurrentExecutions: -1 })], stackConfig()), "L-B99A9384").ok, true, "no reservation, nothing to declare");
    });

    it("does not count a remote component twice once the engine shows its child", () => {
        const cluster = rec("eks:index:Cluster", "search-eks", { name: "dev-search" });
        const alone = countQuotaNeeds(recordGraph([cluster]));
        assert.strictEqual(alone.find((n) => n.quota.code === "L-1194D53C")!.need, 1);
        const child = rec("aws:eks/cluster:Cluster", "search-eks-eksCluster", {}, { parent: cluster.urn, urn: urnOf("aws:eks/cluster:Cluster", "search-eks-eksCluster", "eks:index:Cluster") });
        const both = countQuotaNeeds(recordGraph([cluster, child]));
        assert.strictEqual(both.find((n) => n.quota.code === "L-1194D53C")!.need, 1);
    });

    it("terminates on a parent cycle", () => {
        const a = rec("eks:index:Cluster", "a", {}, { parent: urnOf("aws:eks/cluster:Cluster", "b") });
        const b = rec("aws:eks/cluster:Cluster", "b", {}, { parent: a.urn });
        assert.strictEqual(countQuotaNeeds(recordGraph([a, b])).find((n) => n.quota.code === "L-1194D53C")!.need, 1);
    });

    it("counts interface endpoints per VPC and names the fullest", () => {
        const a = rec("aws:ec2/vpc:Vpc", "a-vpc", {});
        const b = rec("aws:ec2/vpc:Vpc", "b-vpc", {});
        const ep = (name: string, vpc: ResourceRecord, type: string) => rec("aws:ec2/vpcEndpoint:VpcEndpoint", name, { vpcId: "<unknown>", vpcEndpointType: type }, { deps: { vpcId: vpc } });
        const eps = [...Array.from({ length: 51 }, (_, i) => ep(`a${i}`, a, "Interface")), ep("b0", b, "Interface"), ep("s3", b, "Gateway")];
        const rows = quotaReport([a, b, ...eps], stackConfig());
        assert.deepStrictEqual([row(rows, "L-29B6F2EB").need, row(rows, "L-29B6F2EB").where, row(rows, "L-29B6F2EB").ok], [51, "a-vpc", false]);
        assert.strictEqual(row(rows, "L-1B52E74A").need, 1);
    });
});

describe(`rule ${RULE}`, () => {
    it("is clean on a small stack without declarations (compliant)", async () => {
        const { all } = goodStack();
        assertClean(await run(all, [RULE], { stackConfig: stackConfig() }));
        assertClean(await run(afterUp(all), [RULE], { stackConfig: stackConfig() }));
    });

    it("reports VPCs per Region above the default, with the code, the need, the limit and the command (non-compliant)", async () => {
        const { all } = goodStack();
        const vs = mandatory(await run([...all, ...vpcs(3)], [RULE], { stackConfig: stackConfig() }));
        assertTrips(
            vs,
            RULE,
            "VPCs per Region (vpc L-F678F1CE",
            "the stack needs 6 VPCs",
            "the AWS default is 5",
            "aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value 6 --region eu-west-1",
            "quotas: { L-F678F1CE: 6 }",
            "cannot be verified offline",
        );
        assert.strictEqual(vs.length, 1);
    });

    it("trusts a declared value that covers the need, and reports one that does not", async () => {
        const { all } = goodStack();
        const stack = [...all, ...vpcs(3)];
        assertClean(await run(stack, [RULE], { stackConfig: stackConfig({ quotas: { "L-F678F1CE": 6 } }) }));
        const vs = mandatory(await run(stack, [RULE], { stackConfig: stackConfig({ quotas: { "L-F678F1CE": 5 } }) }));
        assertTrips(vs, RULE, "L-F678F1CE", "platform.quotas declares 5 (AWS default 5)");
        // The engine hands structured config to the pack as JSON text (PULUMI_CONFIG).
        assertClean(await run(stack, [RULE], { stackConfig: { [PLATFORM]: JSON.stringify({ quotas: { "L-F678F1CE": 20 } }) } }));
    });

    it("reports G and VT vCPUs above a default of 0 and an instance type it cannot count as advisory", async () => {
        const vs = await run([...hosts("gpu", "g5.xlarge", 1, 2), ...hosts("odd", "m9z.large", 1, 1)], [RULE], { stackConfig: stackConfig() });
        assertTrips(mandatory(vs), RULE, "Running On-Demand G and VT instances (ec2 L-DB2E81BA", "needs 8 vCPUs (4 at the scaling minimum)", "gpu-asg 1–2 × g5.xlarge");
        const advisory = byPolicy(vs, RULE).filter((v) => v.enforcementLevel === "advisory");
        assert.ok(advisory.some((v) => v.message.includes("m9z.large has no vCPU entry")), JSON.stringify(advisory));
    });

    it("in preview, lets the engine's unknown advisory speak when a count depends on an unknown value", async () => {
        const [lt, asg] = hosts("gpu", "<unknown>", 1, 2);
        const vs = await run([lt, asg], [RULE], { mode: "preview", stackConfig: stackConfig() });
        assert.ok(byPolicy(vs, RULE).some((v) => v.unknown), JSON.stringify(vs));
        assert.strictEqual(mandatory(vs).length, 0);
    });
});
