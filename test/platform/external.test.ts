import * as assert from "assert";
import { findProblems } from "../../components/catalog";
import { runPreview } from "../../tools/preview";
import type { PreviewResult } from "../../tools/preview";
import { World } from "../../tools/preview/world";
import { offeredZoneRefusal } from "../../tools/preview/cloud/ec2";
import { catalogConfig, fargate, Graph, plan, plannedGraph, ROOT, judgeWith, mandatoryOf } from "../helpers";

const PROCESSOR = "com.amazonaws.vpce.us-east-1.vpce-svc-0c4f1e2d3a5b69788";
const card = { name: "card-processor", serviceName: PROCESSOR, ports: [443, 8443], reason: "card authorisations go to the processor over PrivateLink" };
const config = catalogConfig([fargate("web", { consumes: ["orders"] }), fargate("orders", { external: [card] })]);
const EP = "aws:ec2/vpcEndpoint:VpcEndpoint";

const judge = judgeWith(config);
const mandatory = mandatoryOf;

describe("catalog: external services", () => {
    const problems = (external: unknown[], region = "us-east-1") => {
        const out: Record<string, string> = {};
        for (const p of findProblems({ region, services: [fargate("orders", { consumes: ["web"], external }), fargate("web")] }).problems) out[p.path] = p.message;
        return out;
    };

    it("refuses a name that is not a vpce-svc endpoint service, another Region's, a missing one, and duplicates, naming the path", () => {
        const got = problems([
            { ...card, serviceName: "com.amazonaws.us-east-1.s3" },
            { ...card, name: "eu", serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0c4f1e2d3a5b69788" },
            { name: "nameless", ports: [443], reason: "a feed we read every hour" },
            { ...card, name: "web" },
            { ...card, name: "again" },
            { ...card, name: "short", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0c4f1e2d3a5b69789", ports: [], reason: "x" },
        ]);
        assert.match(got["services[0].external[0].serviceName"], /not an endpoint service name.*vpce-svc/);
        assert.match(got["services[0].external[1].serviceName"], /is in eu-west-1, but the stack runs in us-east-1/);
        assert.match(got["services[0].external[2].serviceName"], /is required.*needsInput/);
        assert.match(got["services[0].external[3].name"], /gives WEB_URL, which a consumed service already gives/);
        assert.match(got["services[0].external[4].serviceName"], /is already external\[3\]/);
        assert.match(got["services[0].external[5].ports"], /at least one port/);
        assert.match(got["services[0].external[5].reason"], /say why/);
    });
});

describe("external services in the plan", function () {
    this.timeout(180_000);
    let up: PreviewResult;
    let g: Graph;
    before(async () => {
        ({ result: up, g } = await plannedGraph(config));
    });

    it("creates an interface endpoint in the consumer's VPC, admitting its workload on the declared ports only", () => {
        const ep = g.one(EP, "orders-to-card-processor-endpoint");
        assert.strictEqual(ep.inputs.serviceName, PROCESSOR);
        assert.strictEqual(ep.inputs.vpcEndpointType, "Interface");
        assert.strictEqual(ep.inputs.vpcId, g.one("aws:ec2/vpc:Vpc", "orders-vpc").id);
        const sg = g.one("aws:ec2/securityGroup:SecurityGroup", "orders-to-card-processor-endpoint");
        const workload = g.one("aws:ec2/securityGroup:SecurityGroup", "orders-workload");
        assert.deepStrictEqual((sg.inputs.ingress as { fromPort: number; securityGroups: string[] }[]).map(r => [r.fromPort, r.securityGroups]), [[443, [workload.id]], [8443, [workload.id]]]);
        assert.deepStrictEqual(sg.inputs.egress, []);
        const egress = (workload.inputs.egress as { fromPort: number }[]).map(r => r.fromPort);
        assert.ok(egress.includes(8443), String(egress));
    });

    it("hands the workload the endpoint's URL", () => {
        const task = g.ofType("aws:ecs/taskDefinition:TaskDefinition").find(t => t.name.startsWith("orders"))!;
        const env = (JSON.parse(String(task.inputs.containerDefinitions)) as { environment: { name: string; value: string }[] }[])[0].environment;
        const url = env.find(e => e.name === "CARD_PROCESSOR_URL")?.value ?? "";
        assert.match(url, /^http:\/\/vpce-0[0-9a-f]+-[0-9a-z]+\.vpce-svc-0c4f1e2d3a5b69788\.us-east-1\.vpce\.amazonaws\.com:443$/);
    });

    it("plans with no mandatory violation in both modes, and the endpoint leaves the platform as declared", async () => {
        assert.deepStrictEqual(mandatory(await judge(up, "up")).map(v => `${v.policy}: ${v.message}`), []);
        const preview = await plan(config, "preview");
        assert.deepStrictEqual(mandatory(await judge(preview, "preview")).map(v => `${v.policy}: ${v.message}`), []);
        assert.deepStrictEqual(up.offlineFallbacks.filter(f => f.assumed.includes(PROCESSOR)), [], "the world offers the declared service: no fallback");
    });

    it("an endpoint to an undeclared external service fails the plan", async () => {
        const other = "com.amazonaws.vpce.us-east-1.vpce-svc-0d00000000000beef";
        const vs = mandatory(await judge({ ...up, resources: up.resources.map(r => r.name === "orders-to-card-processor-endpoint" && r.type === EP
            ? { ...r, inputs: { ...r.inputs, serviceName: other }, outputs: { ...r.outputs, serviceName: other } }
            : r) }, "up"));
        assert.ok(vs.some(v => v.policy === "interface-endpoint-declared" && v.message.includes(other) && v.message.includes("external list")), JSON.stringify(vs.map(v => v.message)));
    });

    it("the offline world refuses an endpoint in a zone the provider does not offer, as EC2 does", async () => {
        const world = World.fresh();
        const account = "730841926357";
        world.offerEndpointService({ account, region: "us-east-1" }, PROCESSOR, ["use1-az5", "use1-az6"]);
        await assert.rejects(
            runPreview({ projectDir: ROOT, stack: "test", mode: "up", stackConfig: config, accountId: account, world }),
            /creating EC2 VPC Endpoint \(com\.amazonaws\.vpce\.us-east-1\.vpce-svc-0c4f1e2d3a5b69788\).*InvalidParameter: The VPC endpoint service com\.amazonaws\.vpce\.us-east-1\.vpce-svc-0c4f1e2d3a5b69788 does not support the availability zone of the subnet: subnet-/,
        );
        const subnets = new Map([["subnet-a", { availabilityZone: "us-east-1a", availabilityZoneId: "use1-az1" }]]);
        assert.strictEqual(offeredZoneRefusal(["subnet-a"], ["use1-az1"], subnets), undefined);
        assert.strictEqual(offeredZoneRefusal(["subnet-a", "subnet-unknown"], ["use1-az2"], subnets), "subnet-a");
    });
});
