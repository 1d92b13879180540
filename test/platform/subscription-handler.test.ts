import * as assert from "assert";
import { OWN_PUBLICATIONS_FILTER } from "../../components/subscriptionHandler";
import type { PreviewResult } from "../../tools/preview";
import { catalogConfig, fargate, Graph, plan, plannedGraph, judgeWith, mandatoryOf } from "../helpers";

const PARTNER = "210000000017";
const FORMER = "310000000029";
const H = "privatelink:saas:SubscriptionHandler";

const config = catalogConfig(
    [
        fargate("web", { consumes: ["orders"] }),
        fargate("orders", {
            subscribers: [
                { name: "acme", account: PARTNER, contact: "ops@acme.example" },
                { name: "former-auditor", account: FORMER, contact: "audit@former.example", expires: "2026-06-30" },
            ],
        }),
    ],
    // One function with reserved concurrency: the Lambda quota must be declared (quotas-within-limits).
    { quotas: { "L-B99A9384": 1000 } },
);

const judge = judgeWith(config);
const mandatory = mandatoryOf;
const statements = (doc: unknown) => (JSON.parse(String(doc)) as { Statement: { Sid?: string; Action: string | string[]; Resource: string | string[] }[] }).Statement;

describe("subscription handler in the plan", function () {
    this.timeout(180_000);
    let up: PreviewResult;
    let g: Graph;
    before(async () => {
        ({ result: up, g } = await plannedGraph(config));
    });

    it("plans with no mandatory violation in both modes", async () => {
        assert.deepStrictEqual(mandatory(await judge(up, "up")).map(v => `${v.policy}: ${v.message}`), []);
        const preview = await plan(config, "preview");
        assert.deepStrictEqual(mandatory(await judge(preview, "preview")).map(v => `${v.policy}: ${v.message}`), []);
    });

    it("may accept and reject only the endpoint services with subscribers, by ARN", () => {
        const orders = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "orders-endpoint-service");
        const policy = g.one("aws:iam/rolePolicy:RolePolicy", "subscription-handler-fn");
        const decide = statements(policy.inputs.policy).filter(s => [s.Action].flat().some(a => /VpcEndpointConnections$/.test(a) && !a.includes("Describe")));
        assert.deepStrictEqual(decide.map(s => [s.Resource].flat()), [[orders.outputs.arn]]);
    });

    it("reaches EC2 and SNS only through endpoints whose policies admit its calls", () => {
        const ec2 = g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "subscription-handler-ec2");
        const actions = statements(ec2.inputs.policy).flatMap(s => [s.Action].flat()).sort();
        assert.deepStrictEqual(actions, ["ec2:AcceptVpcEndpointConnections", "ec2:DescribeVpcEndpointConnections", "ec2:RejectVpcEndpointConnections"]);
        const sns = g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "subscription-handler-sns");
        assert.deepStrictEqual(statements(sns.inputs.policy).map(s => s.Action), ["sns:Publish"]);
        const fn = g.one("aws:lambda/function:Function", "subscription-handler-fn");
        const vpcs = new Set(g.ofType("aws:ec2/subnet:Subnet").filter(s => (fn.inputs.vpcConfig as { subnetIds: string[] }).subnetIds.includes(String(s.id))).map(s => s.inputs.vpcId));
        assert.deepStrictEqual([...vpcs], [g.one("aws:ec2/vpc:Vpc", "subscription-handler-vpc").id]);
    });

    it("is told by the service's topic (not by its own publications) and records to an encrypted, retained log", () => {
        const sub = g.one("aws:sns/topicSubscription:TopicSubscription", "subscription-handler-orders");
        assert.strictEqual(sub.inputs.protocol, "lambda");
        assert.strictEqual(sub.inputs.filterPolicy, OWN_PUBLICATIONS_FILTER);
        assert.strictEqual(sub.inputs.topic, g.one("aws:sns/topic:Topic", "orders-endpoint-events").outputs.arn);
        const audit = g.one("aws:cloudwatch/logGroup:LogGroup", "subscription-handler-audit");
        assert.ok(audit.inputs.kmsKeyId);
        assert.strictEqual(audit.inputs.retentionInDays, 365);
        const fn = g.one("aws:lambda/function:Function", "subscription-handler-fn");
        assert.strictEqual((fn.inputs.loggingConfig as { logGroup: string }).logGroup, audit.outputs.name);
    });

    it("shows each subscriber's decision at the plan's date", () => {
        const view = up.outputs.subscriptions as Record<string, { rule: string; subscribers: { name: string; decision: string }[] }>;
        assert.deepStrictEqual(view.orders.subscribers.map(s => `${s.name}: ${s.decision}`), ["acme: accept", "former-auditor: reject (expired after 2026-06-30)"]);
        assert.match(view.orders.rule, /rejected \(unknownSubscribers: reject\)/);
    });

    it("creates nothing of it for a stack without subscribers", async () => {
        const plain = await plan(catalogConfig([fargate("web", { consumes: ["orders"] }), fargate("orders")]), "preview");
        assert.deepStrictEqual(plain.resources.filter(r => r.urn.includes(H)), []);
    });

    it("runs once at up whenever who is admitted changes: a subscriber removed or expired", async () => {
        const review = (r: PreviewResult) => r.resources.filter(x => x.type === "aws:lambda/invocation:Invocation");
        const [inv] = review(up);
        assert.strictEqual(review(up).length, 1);
        assert.strictEqual(inv.inputs.functionName, g.one("aws:lambda/function:Function", "subscription-handler-fn").outputs.name);
        assert.ok(inv.dependencies.includes(g.one("aws:lambda/function:Function", "subscription-handler-fn").urn));
        const trigger = (r: PreviewResult) => (review(r)[0].inputs.triggers as Record<string, string>).admitted;
        // The former auditor removed from the catalog: the next up reviews again.
        const removed = catalogConfig(
            [fargate("web", { consumes: ["orders"] }), fargate("orders", { subscribers: [{ name: "acme", account: PARTNER, contact: "ops@acme.example" }] })],
            { quotas: { "L-B99A9384": 1000 } },
        );
        assert.notStrictEqual(trigger(await plan(removed, "up")), trigger(up));
        // acme's expiry passed by the plan's date: the next up reviews again, with the same catalog.
        const expiring = catalogConfig(
            [fargate("web", { consumes: ["orders"] }), fargate("orders", { subscribers: [{ name: "acme", account: PARTNER, contact: "ops@acme.example", expires: "2027-01-31" }] })],
            { quotas: { "L-B99A9384": 1000 } },
        );
        const at = async (date: string) => {
            const before = process.env.PRIVATELINK_PLAN_DATE;
            process.env.PRIVATELINK_PLAN_DATE = date;
            try {
                return trigger(await plan(expiring, "up"));
            } finally {
                if (before === undefined) delete process.env.PRIVATELINK_PLAN_DATE;
                else process.env.PRIVATELINK_PLAN_DATE = before;
            }
        };
        assert.strictEqual(await at("2027-01-30"), await at("2027-01-31"));
        assert.notStrictEqual(await at("2027-02-01"), await at("2027-01-31"));
    });

    describe("planted mistakes fail the plan", () => {
        /** A record with its inputs and its state changed alike (what the program asked, what the cloud holds). */
        const withProps = (r: PreviewResult["resources"][number], props: Record<string, unknown>) => ({ ...r, inputs: { ...r.inputs, ...props }, outputs: { ...r.outputs, ...props } });
        const planted = async (mutate: (rs: PreviewResult["resources"]) => PreviewResult["resources"]) =>
            mandatory(await judge({ ...up, resources: mutate(up.resources.map(r => ({ ...r }))) }, "up"));

        it("a handler role that may accept on every endpoint service", async () => {
            const vs = await planted(rs => rs.map(r => r.name === "subscription-handler-fn" && r.type === "aws:iam/rolePolicy:RolePolicy"
                ? withProps(r, { policy: String(r.inputs.policy).replace(/"arn:aws:ec2:[^"]+:vpc-endpoint-service\/[^"]+"/, "\"*\"") })
                : r));
            assert.ok(vs.some(v => v.policy === "endpoint-connection-decisions-scoped" && /AcceptVpcEndpointConnections and RejectVpcEndpointConnections on "\*"/.test(v.message)), JSON.stringify(vs.map(v => v.message)));
        });

        it("a role that may accept on a service without subscribers", async () => {
            const web = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "web-endpoint-service");
            const vs = await planted(rs => rs.map(r => r.name === "subscription-handler-fn" && r.type === "aws:iam/rolePolicy:RolePolicy"
                ? withProps(r, { policy: String(r.inputs.policy).replace(/("arn:aws:ec2:[^"]+:vpc-endpoint-service\/[^"]+")/, `$1,"${String(web.outputs.arn)}"`) })
                : r));
            assert.ok(vs.some(v => v.policy === "endpoint-connection-decisions-scoped" && v.message.includes('the endpoint service of "web", which has no subscribers')), JSON.stringify(vs.map(v => v.message)));
        });

        it("an accepter for an undeclared endpoint", async () => {
            const accepter = up.resources.find(r => r.type === "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter")!;
            const vs = await planted(rs => [...rs, {
                ...withProps(accepter, { vpcEndpointServiceId: g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "orders-endpoint-service").id, vpcEndpointId: "vpce-0f00000000000beef" }),
                name: "stranger-to-orders-accept",
                urn: accepter.urn.replace(/::[^:]+$/, "::stranger-to-orders-accept"),
                dependencies: [],
                propertyDependencies: {},
            }]);
            assert.ok(vs.some(v => v.message.includes("stranger-to-orders-accept")), JSON.stringify(vs.map(v => `${v.policy}: ${v.message}`)));
        });
    });
});
