import { goodStack, rec } from "./fixtures";
import { assertClean, assertTrips, run } from "./helpers";

const RULE = "endpoint-connection-accepter-declared";
const catalog = (consumes: string[]) => ({
    "privatelink-platform:services": [
        { name: "orders", runtime: "fargate", consumes },
        { name: "payments", runtime: "fargate" },
        { name: "search", runtime: "eks" },
    ],
});
const ACCEPTER = "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter";

describe(`${RULE}: an accepter accepts only endpoints of declared edges`, () => {
    it("accepts the consumer's endpoint of a declared edge, in the plan or exported by the consumer's shard", async () => {
        const { all, payments, edge } = goodStack();
        const local = rec(ACCEPTER, "orders-to-payments-accept", { vpcEndpointServiceId: "<unknown>", vpcEndpointId: "<unknown>" }, { deps: { vpcEndpointServiceId: payments.endpointService, vpcEndpointId: edge } });
        assertClean(await run([...all, local], [RULE], { stackConfig: catalog(["payments"]), mode: "preview" }));
        const ref = rec("pulumi:pulumi:StackReference", "org/privatelink-platform/dev.storefront", {}, { outputs: { outputs: { endpoints: { "orders->payments": "vpce-0aa11bb22cc33dd44" } } } });
        const remote = rec(ACCEPTER, "orders-to-payments-accept", { vpcEndpointServiceId: "<unknown>", vpcEndpointId: "vpce-0aa11bb22cc33dd44" }, { deps: { vpcEndpointServiceId: payments.endpointService, vpcEndpointId: ref } });
        assertClean(await run([...payments.all, ref, remote], [RULE], { stackConfig: catalog(["payments"]) }));
    });

    it("refuses a pasted endpoint id, an edge the catalog does not declare, and another provider's edge", async () => {
        const { all, payments, orders, edge } = goodStack();
        const pasted = rec(ACCEPTER, "partner-accept", { vpcEndpointServiceId: "<unknown>", vpcEndpointId: "vpce-0123456789abcdef0" }, { deps: { vpcEndpointServiceId: payments.endpointService } });
        assertTrips(await run([...all, pasted], [RULE], { stackConfig: catalog(["payments"]) }), RULE, `"partner-accept"`, "vpce-0123456789abcdef0", "no edge");
        const undeclared = rec(ACCEPTER, "orders-to-payments-accept", { vpcEndpointServiceId: "<unknown>", vpcEndpointId: "<unknown>" }, { deps: { vpcEndpointServiceId: payments.endpointService, vpcEndpointId: edge } });
        assertTrips(await run([...all, undeclared], [RULE], { stackConfig: catalog([]), mode: "preview" }), RULE, "orders->payments", "does not declare");
        const ref = rec("pulumi:pulumi:StackReference", "org/privatelink-platform/dev.search", {}, { outputs: { outputs: { endpoints: { "search->orders": "vpce-0ff" } } } });
        const wrong = rec(ACCEPTER, "search-accept", { vpcEndpointServiceId: "<unknown>", vpcEndpointId: "vpce-0ff" }, { deps: { vpcEndpointServiceId: payments.endpointService, vpcEndpointId: ref } });
        assertTrips(await run([...orders.all, ...payments.all, ref, wrong], [RULE], { stackConfig: catalog(["payments"]) }), RULE, "search->orders", "payments");
    });
});
