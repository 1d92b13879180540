import * as assert from "assert";
import { findProblems, validateCatalog } from "../../components/catalog";
import { subscribersOf } from "../../components/platform";
import { subscriptionName } from "../../components/privateLinkService";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { catalogConfig, fargate, Graph, plan } from "../helpers";

const SUB = "aws:sns/topicSubscription:TopicSubscription";
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:endpoint-events`;

describe("endpoint service notifications", function () {
    this.timeout(120_000);
    let g: Graph;
    before(async () => {
        g = new Graph(await plan(catalogConfig(
            [
                fargate("web", { consumes: ["orders"] }),
                fargate("orders", { notifications: { subscribers: [{ protocol: "https", endpoint: "https://hooks.example.com/orders" }] } }),
            ],
            { notifications: { subscribers: [{ protocol: "email", endpoint: "platform@example.com" }, { protocol: "sqs", endpoint: QUEUE }] } },
        ), "up"));
        assert.deepStrictEqual(g.result.errors, undefined);
    });

    it("creates the connection notification only after the topic policy admits vpce.amazonaws.com", () => {
        for (const name of ["web", "orders"]) {
            const notification = g.one("aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification", `${name}-endpoint-events`);
            const policy = g.one("aws:sns/topicPolicy:TopicPolicy", `${name}-endpoint-events`);
            assert.ok(notification.dependencies.includes(policy.urn));
        }
    });

    it("subscribes the platform's subscribers to every service's topic, and a service's own to its topic only", () => {
        const topicOf = (service: string) => g.one("aws:sns/topic:Topic", `${service}-endpoint-events`);
        const subsOf = (service: string) => g.ofType(SUB)
            .filter(s => g.deps(s, "topic")[0]?.urn === topicOf(service).urn)
            .map(s => `${s.inputs.protocol} ${s.inputs.endpoint}`)
            .sort();
        assert.deepStrictEqual(subsOf("web"), ["email platform@example.com", `sqs ${QUEUE}`]);
        assert.deepStrictEqual(subsOf("orders"), ["email platform@example.com", "https https://hooks.example.com/orders", `sqs ${QUEUE}`]);
    });

    it("names a subscription after its service, protocol and endpoint, never a list position", () => {
        const s = { protocol: "email" as const, endpoint: "platform@example.com" };
        assert.match(subscriptionName("orders", s), /^orders-endpoint-events-email-[0-9a-f]{8}$/);
        assert.notStrictEqual(subscriptionName("orders", s), subscriptionName("orders", { ...s, endpoint: "ops@example.com" }));
        g.one(SUB, subscriptionName("orders", s));
    });

    it("exports each service's topic ARN for subscribers outside the catalog", () => {
        const services = g.result.outputs.services as Record<string, Record<string, string>>;
        assert.match(services.orders.endpointEventsTopicArn, /^arn:aws:sns:us-east-1:\d{12}:/);
    });

    it("lists a subscriber named by the platform and the service once", () => {
        const s = { protocol: "email" as const, endpoint: "a@example.com" };
        assert.deepStrictEqual(subscribersOf([s], [{ ...s }]), [s]);
    });

    describe("catalog validation", () => {
        const problemsOf = (platform: unknown, service: Record<string, unknown> = {}) =>
            findProblems({ platform, services: [fargate("orders", service)] }).problems;

        it("refuses an endpoint that does not fit its protocol, naming the path and an example", () => {
            const problems = problemsOf({
                notifications: {
                    subscribers: [
                        { protocol: "email", endpoint: "not-an-address" },
                        { protocol: "https", endpoint: "http://hooks.example.com" },
                        { protocol: "sqs", endpoint: `${QUEUE}.fifo` },
                        { protocol: "lambda", endpoint: QUEUE },
                        { protocol: "sms", endpoint: "+15550100" },
                    ],
                },
            });
            const at = (j: number) => problems.find(p => p.path.startsWith(`platform.notifications.subscribers[${j}]`))?.message ?? "";
            assert.match(at(0), /not a email endpoint; use e\.g\. platform-team@example\.com/);
            assert.match(at(1), /not a https endpoint/);
            assert.match(at(2), /FIFO queue/);
            assert.match(at(3), /not a lambda endpoint/);
            assert.match(at(4), /use one of email, https, sqs, lambda/);
            assert.strictEqual(problems.find(p => p.path === "platform.notifications.subscribers[0].endpoint")?.path, "platform.notifications.subscribers[0].endpoint");
        });

        it("refuses a subscriber listed twice, and unknown fields, on the service too", () => {
            const twice = { protocol: "email", endpoint: "a@example.com" };
            const problems = problemsOf({}, { notifications: { subscribers: [twice, twice], topic: "x" } });
            assert.ok(problems.some(p => p.path === "services[0].notifications.subscribers[1]" && /listed twice/.test(p.message)), JSON.stringify(problems));
            assert.ok(problems.some(p => p.path === "services[0].notifications.topic"), JSON.stringify(problems));
        });

        it("defaults to no subscriber", () => {
            const catalog = validateCatalog({ services: [fargate("orders")] });
            assert.deepStrictEqual(catalog.platform.notifications.subscribers, []);
            assert.deepStrictEqual(catalog.services[0].notifications.subscribers, []);
        });
    });
});
