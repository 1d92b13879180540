// Not in `npm run test:quick`: it plans the program offline.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../tools/preview/cli";
import { costHook, CostEstimate, CostLine, estimateMonthlyCost } from "../../tools/insights/cost";
import { MissingPriceError, PRICES } from "../../tools/insights/price-table";
import { DEV_END, DEV_START, devSummaryBlock, generatedBlock } from "../../tools/insights/runtime-costs";
import type { ResourceRecord } from "../../tools/preview";
import { catalogConfig, fargate, plan, ROOT, stackConfig } from "../helpers";

/** A unit price straight from the table (never through the estimator). */
const usEast = (key: string) => PRICES.regions["us-east-1"][key].price;
const H = 730;
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≠ ${expected}`);

function line(e: CostEstimate, service: string, match: (l: CostLine) => boolean, what: string): CostLine {
    const found = (e.services[service]?.lines ?? []).filter(match);
    assert.strictEqual(found.length, 1, `${service}: expected one ${what}, found ${found.length}: ${JSON.stringify(e.services[service]?.lines.map(l => l.item))}`);
    return found[0];
}

describe("cost estimate: per-resource prices on a small catalog, computed by hand from the price table", function () {
    this.timeout(180_000);
    const config = catalogConfig(
        [
            fargate("api", { cpu: 512, memory: 1024, scaling: { min: 2, max: 4, cpuTarget: 60 }, consumes: ["store"] }),
            fargate("store", { data: [{ name: "items", type: "dynamodb" }, { name: "files", type: "s3" }] }),
            { name: "fn", runtime: "lambda", port: 8080, function: { code: "services/notifier" } },
            { name: "hosts", runtime: "ecs-ec2", port: 8080, image: "1.0.0", instanceTypes: ["m7i.large"], capacity: { min: 1, max: 2 } },
        ],
        { availabilityZones: 2, logRetentionDays: 30 },
    );
    let e: CostEstimate;
    let resources: ResourceRecord[];
    before(async () => {
        const result = await plan(config, "up");
        assert.ok(!result.errors, JSON.stringify(result.errors));
        resources = result.resources;
        e = estimateMonthlyCost(resources, { region: "us-east-1", stackConfig: config });
    });

    it("prices the NLB hours and the NLCU baseline of one capacity unit", () => {
        close(line(e, "api", l => l.item === "NLB api-nlb", "NLB").monthly, usEast("nlb-hour") * H, "NLB");
        close(line(e, "api", l => l.category === "load-balancer-capacity", "NLCU").monthly, 1 * usEast("nlcu-hour") * H, "NLCU");
    });

    it("prices each interface endpoint per zone-hour, mesh edges apart from AWS-service endpoints", () => {
        const edge = line(e, "api", l => l.category === "mesh-endpoint", "mesh endpoint");
        close(edge.monthly, 2 * usEast("interface-endpoint-az-hour") * H, "api->store");
        assert.match(edge.item, /api->store/);
        const aws = e.services.api.lines.filter(l => l.category === "aws-service-endpoint");
        assert.deepStrictEqual(aws.map(l => l.item.split(" ")[1]).sort(), ["ecr.api", "ecr.dkr", "logs"]);
        for (const l of aws) close(l.monthly, 2 * usEast("interface-endpoint-az-hour") * H, l.item);
        assert.strictEqual(e.services.store.lines.filter(l => l.category === "mesh-endpoint").length, 0, "the provider pays no endpoint for its consumers");
    });

    it("prices Fargate at the scaling minimum: 2 tasks × 0.5 vCPU / 1 GB; a service without scaling at its desiredCount (1 × 0.25 vCPU / 0.5 GB)", () => {
        close(line(e, "api", l => l.unit === "vCPU-hour", "vCPU").monthly, 2 * 0.5 * usEast("fargate-vcpu-hour") * H, "api vCPU");
        close(line(e, "api", l => l.unit === "GB-hour", "GB").monthly, 2 * 1 * usEast("fargate-gb-hour") * H, "api GB");
        close(line(e, "store", l => l.unit === "vCPU-hour", "vCPU").monthly, 1 * 0.25 * usEast("fargate-vcpu-hour") * H, "store vCPU");
        close(line(e, "store", l => l.unit === "GB-hour", "GB").monthly, 1 * 0.5 * usEast("fargate-gb-hour") * H, "store GB");
    });

    it("prices EC2 hosts at the Auto Scaling group minimum and their gp3 root volume", () => {
        close(line(e, "hosts", l => l.category === "ec2", "EC2").monthly, 1 * usEast("ec2:m7i.large") * H, "m7i.large");
        const lt = resources.find(r => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.name.startsWith("hosts"))!;
        const gb = (lt.inputs.blockDeviceMappings as Array<{ ebs: { volumeSize: number } }>)[0].ebs.volumeSize;
        close(line(e, "hosts", l => l.category === "ebs", "EBS").monthly, gb * usEast("ebs-gp3-gb-month"), "gp3");
    });

    it("prices Lambda at idle as 0 and its ALB like a load balancer", () => {
        close(line(e, "fn", l => l.category === "lambda", "Lambda").monthly, 0, "Lambda");
        close(line(e, "fn", l => l.item === "ALB fn-alb", "ALB").monthly, usEast("alb-hour") * H, "ALB");
        close(line(e, "fn", l => l.unit === "LCU-hour", "LCU").monthly, usEast("lcu-hour") * H, "LCU");
    });

    it("prices each store's storage under the stated assumption (1 GB each): table storage and point-in-time recovery, S3 Standard", () => {
        const data = e.services.store.lines.filter(l => l.category === "data").map(l => [l.item, l.monthly]);
        assert.deepStrictEqual(data.map(([item]) => item).sort(), ["bucket files: 1 GB S3 Standard storage", "table items: 1 GB point-in-time recovery", "table items: 1 GB storage"]);
        close(e.services.store.lines.filter(l => l.category === "data").reduce((t, l) => t + l.monthly, 0), usEast("dynamodb-storage-gb-month") + usEast("dynamodb-pitr-gb-month") + usEast("s3-standard-gb-month"), "stores");
        assert.ok(e.assumptions.some(a => a.includes("DynamoDB table and S3 bucket holds 1 GB")));
    });

    it("prices log ingestion and storage under the stated assumption (1 GB a month, kept for the retention)", () => {
        const ingest = line(e, "api", l => l.item === "logs api-logs: 1 GB ingested", "ingestion");
        close(ingest.monthly, usEast("logs-ingest-gb"), "ingestion");
        const stored = line(e, "api", l => l.item.startsWith("logs api-logs:") && l.unit === "GB-month", "storage");
        close(stored.monthly, (30 / (365 / 12)) * usEast("logs-storage-gb-month"), "storage");
        const flow = line(e, "api", l => l.item.startsWith("logs api-flow-logs") && l.unit === "GB", "flow logs");
        close(flow.monthly, usEast("logs-vended-ingest-gb"), "flow logs");
    });

    it("puts the platform's KMS key in the shared lines", () => {
        const key = e.shared.filter(l => l.category === "kms");
        assert.strictEqual(key.length, 1);
        close(key[0].monthly, usEast("kms-key-month"), "KMS");
    });

    it("adds up a service by hand: api", () => {
        const z = 2 * usEast("interface-endpoint-az-hour") * H;
        const expected =
            usEast("nlb-hour") * H + usEast("nlcu-hour") * H + 4 * z +
            2 * 0.5 * usEast("fargate-vcpu-hour") * H + 2 * usEast("fargate-gb-hour") * H +
            usEast("logs-ingest-gb") + usEast("logs-vended-ingest-gb") +
            2 * (30 / (365 / 12)) * usEast("logs-storage-gb-month");
        close(e.services.api.total, expected, "api total");
        close(e.services.api.fixed, usEast("nlb-hour") * H + 4 * z, "api fixed component");
    });

    it("reports the mesh endpoints' share of the total", () => {
        close(e.meshEndpoints.monthly, 2 * usEast("interface-endpoint-az-hour") * H, "mesh");
        assert.strictEqual(e.meshEndpoints.count, 1);
        close(e.meshEndpointShare, e.meshEndpoints.monthly / e.total, "share");
    });

    it("compares with a NAT gateway and a public IPv4 per zone instead of the AWS-service endpoints, only where a VPC has them", () => {
        const n = e.natComparison;
        const nat = 2 * (usEast("nat-gateway-hour") + usEast("public-ipv4-hour")) * H;
        close(n.services.api.natAdded, nat, "api NAT");
        close(n.services.api.endpointsRemoved, 3 * 2 * usEast("interface-endpoint-az-hour") * H, "api endpoints");
        close(n.services.hosts.endpointsRemoved, 6 * 2 * usEast("interface-endpoint-az-hour") * H, "hosts endpoints");
        close(n.services.fn.natAdded, 0, "a Lambda VPC has no AWS-service endpoint to replace");
        close(n.services.fn.total, e.services.fn.total, "fn unchanged");
        close(n.total, e.total + 3 * nat - (3 + 3 + 6) * 2 * usEast("interface-endpoint-az-hour") * H, "NAT total");
    });
});

describe("cost estimate: EKS control plane at its version's support status", () => {
    const cluster = (version: string): ResourceRecord => ({
        urn: "urn:pulumi:t::p::eks:index:Cluster::svc-eks", type: "eks:index:Cluster", name: "svc-eks", parent: null, custom: false, remote: true, op: "create", id: null,
        inputs: { version, tags: { "privatelink:service": "svc" } }, outputs: {}, dependencies: [], propertyDependencies: {},
        options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, aliases: [], ignoreChanges: [], provider: null, replaceOnChanges: [], additionalSecretOutputs: [], deletedWith: null, import: null },
    });
    it("bills 1.33 at the standard rate the day before its end of standard support and at the extended rate from that day (UTC)", () => {
        const before = estimateMonthlyCost([cluster("1.33")], { region: "us-east-1", asOf: "2026-07-28" });
        const on = estimateMonthlyCost([cluster("1.33")], { region: "us-east-1", asOf: "2026-07-29" });
        close(before.services.svc.total, usEast("eks-cluster-hour-standard") * H, "standard");
        close(on.services.svc.total, usEast("eks-cluster-hour-extended") * H, "extended");
        assert.match(on.services.svc.lines[0].item, /extended support since 2026-07-29/);
    });
    it("notes a version the calendar does not know and prices it at the standard rate", () => {
        const e = estimateMonthlyCost([cluster("1.99")], { region: "us-east-1" });
        close(e.services.svc.total, usEast("eks-cluster-hour-standard") * H, "standard");
        assert.match(e.notes.join("\n"), /1\.99 not in the EKS calendar/);
    });
});

describe("cost estimate: the price table", () => {
    it("prices every region a shipped stack uses, each entry with a price, a source naming that region's offer file, and what was checked", () => {
        const regions = fs.readdirSync(path.join(ROOT, "stacks")).filter(f => /^Pulumi\..+\.yaml$/.test(f)).map(f => String(stackConfig(f.split(".")[1])["aws:region"]));
        assert.ok(regions.length >= 2);
        for (const region of new Set(regions)) {
            const r = PRICES.regions[region];
            assert.ok(r, `no prices for ${region}`);
            for (const [key, entry] of Object.entries(r)) {
                assert.strictEqual(typeof entry.price, "number", `${region} ${key}`);
                assert.ok(entry.source.includes(`/current/${region}/index.json`), `${region} ${key}: the source must be the region's own offer file: ${entry.source}`);
                assert.ok(entry.checked.length > 0, `${region} ${key}: say what was checked, or that it could not be`);
            }
        }
        assert.match(PRICES.date, /^\d{4}-\d{2}-\d{2}$/);
    });
    it("a region the table does not price: a clear error naming the fix; the plan's hook only warns", () => {
        assert.throws(() => estimateMonthlyCost([], { region: "eu-west-9" }), (err: unknown) => err instanceof MissingPriceError && /eu-west-9.*Fix: add a "eu-west-9" block to tools\/insights\/prices\.json/.test(err.message));
        const warnings: string[] = [];
        assert.strictEqual(costHook(w => warnings.push(w))([], { "aws:region": "eu-west-9" }), undefined);
        assert.match(warnings.join(""), /no cost estimate: no prices for region 'eu-west-9'/);
    });
});

describe("cost estimate: the 9-service dev stack, from the command line", function () {
    this.timeout(240_000);
    let text = "";
    let doc: { cost: CostEstimate };
    before(async () => {
        let out = "";
        assert.strictEqual(await main(["--stack", "dev", "--cost"], s => (out += s), () => undefined), 0);
        text = out;
        out = "";
        assert.strictEqual(await main(["--stack", "dev", "--json"], s => (out += s), () => undefined), 0);
        doc = JSON.parse(out);
    });
    it("--json carries the estimate: the 9 services, the front door and the subscription handler, whose lines add up to the total", () => {
        const e = doc.cost;
        assert.deepStrictEqual(Object.keys(e.services).sort(), ["accounts", "catalog", "front-door", "notifications", "notifier", "orders", "payments", "recommend", "search", "subscription-handler", "web"]);
        let t = e.shared.reduce((s, l) => s + l.monthly, 0);
        for (const s of Object.values(e.services)) {
            close(s.total, s.lines.reduce((x, l) => x + l.monthly, 0), "service total");
            t += s.total;
        }
        close(e.total, t, "total");
        assert.strictEqual(e.meshEndpoints.count, 16, "one endpoint per consumes edge: 13, and the front door's 3");
        assert.ok(e.natComparison.total > 0 && Object.keys(e.natComparison.services).length >= 9);
    });
    it("the plan text shows the total with its breakdown per service and line, and the NAT comparison", () => {
        assert.match(text, /Cost estimate \(us-east-1, list prices of \d{4}-\d{2}-\d{2}/);
        assert.match(text, /mesh endpoints \$[\d,.]+ \(16 endpoints, [\d.]+% of the total\)/);
        assert.match(text, /Cost by service/);
        assert.match(text, /NAT comparison/);
        for (const s of Object.keys(doc.cost.services)) assert.match(text, new RegExp(`\\n    ${s} `), s);
    });
    it("docs/cost.md shows the same dev summary the plan prints", () => {
        const block = generatedBlock(fs.readFileSync(path.join(ROOT, "docs", "cost.md"), "utf8"), DEV_START, DEV_END);
        assert.ok(block, "docs/cost.md has no dev summary block");
        assert.strictEqual(block, devSummaryBlock(doc.cost), "docs/cost.md is stale: node -r ts-node/register/transpile-only tools/insights/runtime-costs.ts --write");
    });
});
