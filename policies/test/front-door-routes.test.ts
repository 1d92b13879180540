import * as assert from "assert";
import { ResourceRecord, stackResources } from "../evaluate";
import { frontDoorMethodName } from "../lib/front-door";
import { TracedRoute, traceRoutes } from "../lib/front-door-routes";
import { stackIndex } from "../lib/graph";
import { rec } from "./fixtures";
import { frontDoor } from "./frontdoor-fixtures";

const GET_ORDERS = frontDoorMethodName("orders", "/orders", "GET");

function traced(records: ResourceRecord[], method = GET_ORDERS, mode: "preview" | "up" = "up"): TracedRoute {
    const t = traceRoutes(stackIndex(stackResources(records, mode))).find((r) => r.method.name === method);
    assert.ok(t, `${method} is traced`);
    return t;
}

const hops = (t: TracedRoute) => t.hops.map((h) => `${h.what} ${h.name}`);

/** The way of GET /orders through the fixture front door, written from the fixture (frontdoor-fixtures.ts, fixtures.ts fargateService). */
const EDGE_TO_ORDERS = [
    "stage front-door-stage",
    `method ${GET_ORDERS}`,
    `integration (HTTP_PROXY) ${GET_ORDERS}-integration`,
    "VPC link front-door-link",
    "edge ALB front-door-alb",
    "listener front-door-http",
    "listener rule front-door-orders-front-door-path-orders",
    "target group front-door-orders",
    "targets (1) front-door-orders-a",
    "endpoint connection accepter front-door-to-orders-accept",
    "interface endpoint front-door-to-orders",
    "endpoint service orders-endpoint-service",
];

describe("the front door's route trace (lib/front-door-routes.ts): the hops it walked and where it stopped", () => {
    for (const mode of ["preview", "up"] as const) {
        it(`records every hop of a route, once, from the stage to the workload behind the service's NLB (${mode})`, () => {
            const t = traced(frontDoor().all, GET_ORDERS, mode);
            assert.deepStrictEqual(hops(t), [...EDGE_TO_ORDERS, "NLB orders-nlb", "listener orders-listener", "target group orders-tg", "ECS service orders-service"]);
            assert.deepStrictEqual([...t.services], ["orders"]);
            assert.strictEqual(t.stoppedAt, undefined);
            assert.strictEqual(t.tailStoppedAt, undefined);
        });
    }

    it("stops at the edge listener when no rule matches the path the ALB sees, and says why", () => {
        const records = frontDoor().all.filter((r) => r.name !== "front-door-orders-front-door-path-orders");
        const t = traced(records);
        assert.deepStrictEqual(hops(t), EDGE_TO_ORDERS.slice(0, 6));
        assert.deepStrictEqual([...t.services], []);
        assert.match(t.stoppedAt ?? "", /^on aws:lb\/listener:Listener "front-door-http" \(.*\), no listener rule matches \/orders or \/v1\/orders, and the default action forwards to no target group of this stack$/);
    });

    it("past the endpoint service, a workload gone is shown apart: the route still reaches the service owning the NLB", () => {
        const records = frontDoor().all.filter((r) => r.name !== "orders-service");
        const t = traced(records);
        assert.deepStrictEqual(hops(t), [...EDGE_TO_ORDERS, "NLB orders-nlb", "listener orders-listener", "target group orders-tg"]);
        assert.deepStrictEqual([...t.services], ["orders"]);
        assert.strictEqual(t.stoppedAt, undefined);
        assert.match(t.tailStoppedAt ?? "", /^no target of aws:lb\/targetGroup:TargetGroup "orders-tg"/);
    });

    it("follows an Auto Scaling attachment to the group it registers (an EKS node group on a NodePort)", () => {
        const all = frontDoor().all.filter((r) => r.name !== "orders-service");
        const by = (name: string) => all.find((r) => r.name === name)!;
        const nodes = rec("aws:eks/nodeGroup:NodeGroup", "orders-nodes", { subnetIds: ["<unknown>", "<unknown>"] }, { deps: { subnetIds: [by("orders-private-a"), by("orders-private-b")] } });
        const attach = rec("aws:autoscaling/attachment:Attachment", "orders-nlb-nodes", { autoscalingGroupName: "<unknown>", lbTargetGroupArn: "<unknown>" }, { deps: { autoscalingGroupName: nodes, lbTargetGroupArn: by("orders-tg") } });
        const t = traced([...all, nodes, attach]);
        assert.deepStrictEqual(hops(t).slice(-3), ["target group orders-tg", "Auto Scaling attachment orders-nlb-nodes", "EKS node group orders-nodes"]);
        assert.strictEqual(t.tailStoppedAt, undefined);
    });
});
