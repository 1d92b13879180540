import { afterUp, fargateService, goodStack, rec, svcTags } from "./fixtures";
import { assertClean, assertTrips, patch, run } from "./helpers";

/**
 * EC2's create-time refusals as deployability rules, on hand-built stacks:
 * `subnet-cidr-in-vpc` (InvalidSubnet.Range), `subnets-no-overlap`
 * (InvalidSubnet.Conflict) and `interface-endpoint-service-exists`
 * (InvalidServiceName). The offline cloud answers the same where it holds
 * the state (test/preview/cloud/ec2.test.ts).
 */
const STACK = { "aws:region": "us-east-1" };
const check = (records: Parameters<typeof run>[0], names: string[], mode: "up" | "preview" = "up") => run(records, names, { mode, stackConfig: STACK });

describe("subnet-cidr-in-vpc and subnets-no-overlap", () => {
    const RULES = ["subnet-cidr-in-vpc", "subnets-no-overlap"];

    it("compliant: subnets inside their VPC, apart from each other; two VPCs reusing one range", async () => {
        assertClean(await check(goodStack().all, RULES));
        assertClean(await check(afterUp(goodStack().all), RULES, "up"));
    });

    it("compliant: a subnet inside a secondary block associated with the VPC", async () => {
        const orders = fargateService("orders");
        const assoc = rec("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation", "orders-extra", { vpcId: "<unknown>", cidrBlock: "100.64.0.0/16" }, { deps: { vpcId: orders.vpc } });
        const subnet = rec("aws:ec2/subnet:Subnet", "orders-pods", { vpcId: "<unknown>", cidrBlock: "100.64.0.0/20", tags: svcTags("orders") }, { deps: { vpcId: orders.vpc } });
        assertClean(await check([...orders.all, assoc, subnet], RULES));
    });

    it("non-compliant: a subnet outside its VPC's range (InvalidSubnet.Range)", async () => {
        const records = patch(goodStack().all, "orders-private-b", { cidrBlock: "10.1.0.0/24" });
        assertTrips(await check(records, RULES), "subnet-cidr-in-vpc", "orders-private-b", "10.1.0.0/24", "10.0.0.0/16", "InvalidSubnet.Range", "Fix:");
    });

    it("non-compliant: two subnets of one VPC overlapping (InvalidSubnet.Conflict), in preview and after up", async () => {
        const records = patch(goodStack().all, "orders-private-b", { cidrBlock: "10.0.0.128/25" });
        for (const mode of ["preview", "up"] as const) {
            assertTrips(await check(mode === "up" ? afterUp(records) : records, RULES, mode), "subnets-no-overlap", "orders-private-b", "10.0.0.128/25", "orders-private-a", "InvalidSubnet.Conflict", "Fix:");
        }
    });

    it("unknown blocks are not judged", async () => {
        const records = patch(goodStack().all, "orders-private-b", { cidrBlock: "<unknown>" });
        assertClean(await check(records, RULES, "preview"));
    });
});

describe("interface-endpoint-service-exists", () => {
    const RULE = "interface-endpoint-service-exists";

    it("compliant: AWS services of the stack's region, an endpoint service of the plan, another stack's service", async () => {
        const { all, orders } = goodStack();
        const ref = rec("pulumi:pulumi:StackReference", "shard-payments", { name: "org/p/dev.payments" }, { outputs: { outputs: {} } });
        const external = rec("aws:ec2/vpcEndpoint:VpcEndpoint", "orders-to-accounts", { vpcId: "<unknown>", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", vpcEndpointType: "Interface", tags: svcTags("orders") }, { deps: { vpcId: orders.vpc, serviceName: ref } });
        assertClean(await check([...all, ref, external], [RULE]));
        assertClean(await check(afterUp([...all, ref, external]), [RULE]));
    });

    it("non-compliant: an AWS service of another region", async () => {
        const records = patch(goodStack().all, "orders-logs", { serviceName: "com.amazonaws.eu-west-1.logs" });
        assertTrips(await check(records, [RULE]), RULE, "orders-logs", "com.amazonaws.eu-west-1.logs", "us-east-1", "InvalidServiceName", "Fix:", "com.amazonaws.us-east-1.logs");
    });

    it("non-compliant: a literal endpoint-service name nothing in the plan or another stack provides", async () => {
        const { all, orders } = goodStack();
        const literal = rec("aws:ec2/vpcEndpoint:VpcEndpoint", "orders-to-ghost", { vpcId: "<unknown>", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba9876543210", vpcEndpointType: "Interface", tags: svcTags("orders") }, { deps: { vpcId: orders.vpc } });
        assertTrips(await check([...all, literal], [RULE]), RULE, "orders-to-ghost", "vpce-svc-0fedcba9876543210", "no endpoint service this plan creates", "InvalidServiceName", "Fix:");
    });

    it("non-compliant: not a service name at all", async () => {
        const records = patch(goodStack().all, "orders-logs", { serviceName: "logs" });
        assertTrips(await check(records, [RULE]), RULE, "orders-logs", "is not a service name", "Fix:");
    });
});
