// Not in `npm run test:quick`: it plans the shipped stacks offline.
import * as assert from "assert";
import { ResourceRecord } from "../evaluate";
import { rec, svcTags } from "./fixtures";
import { assertClean, assertTrips, byPolicy, run } from "./helpers";
import { plan, stackConfig } from "../../test/helpers";

const RULE = "eks-supported-zones";

function subnets(service: string, zoneIds: (string | undefined)[], o: { names?: string[]; outputs?: Record<string, unknown>[] } = {}): ResourceRecord[] {
    return zoneIds.map((zoneId, i) =>
        rec("aws:ec2/subnet:Subnet", `${service}-private-${"abc"[i]}`, {
            vpcId: "<unknown>",
            cidrBlock: `10.0.${i}.0/24`,
            ...(zoneId ? { availabilityZoneId: zoneId } : {}),
            ...(o.names ? { availabilityZone: o.names[i] } : {}),
            tags: svcTags(service),
        }, { outputs: o.outputs?.[i] }));
}

function cluster(service: string, subs: ResourceRecord[], subnetIds: unknown[] = subs.map(() => "<unknown>")): ResourceRecord {
    return rec("aws:eks/cluster:Cluster", `${service}-cluster`, { roleArn: "<unknown>", vpcConfig: { subnetIds } }, { deps: { vpcConfig: subs } });
}

function component(service: string, subs: ResourceRecord[]): ResourceRecord {
    return rec("eks:index:Cluster", `${service}-eks`, { vpcId: "<unknown>", privateSubnetIds: subs.map(() => "<unknown>") }, { deps: { privateSubnetIds: subs }, custom: false });
}

describe(`deployability: ${RULE}`, () => {
    it("passes clusters whose subnets are all in zone ids EKS accepts (both cluster types, both modes)", async () => {
        const ok = subnets("k8s", ["use1-az1", "use1-az2"]);
        for (const mode of ["preview", "up"] as const) {
            assertClean(await run([...ok, cluster("k8s", ok), component("k8s", ok)], [RULE], { mode }), RULE);
        }
    });

    it("reports an aws:eks/cluster:Cluster with a subnet in use1-az3, naming subnet, zone and fix", async () => {
        const bad = subnets("k8s", ["use1-az1", "use1-az3"]);
        const vs = await run([...bad, cluster("k8s", bad)], [RULE], { mode: "preview" });
        assertTrips(vs, RULE, "k8s-cluster", "k8s-private-b", "use1-az3", "UnsupportedAvailabilityZoneException", "Fix:");
        assert.strictEqual(byPolicy(vs, RULE).length, 1);
    });

    it("reports the eks:index:Cluster component through its privateSubnetIds", async () => {
        const bad = subnets("k8s", ["cac1-az3", "cac1-az1"]);
        assertTrips(await run([...bad, component("k8s", bad)], [RULE]), RULE, "k8s-eks", "k8s-private-a", "cac1-az3");
    });

    it("resolves subnets named by id when they report their id", async () => {
        const bad = subnets("k8s", ["usw1-az2", "usw1-az1"], { outputs: [{ id: "subnet-0aaa" }, { id: "subnet-0bbb" }] });
        const byValue = rec("aws:eks/cluster:Cluster", "k8s-cluster", { roleArn: "r", vpcConfig: { subnetIds: ["subnet-0aaa", "subnet-0bbb"] } });
        assertTrips(await run([...bad, byValue], [RULE]), RULE, "k8s-cluster", "usw1-az2");
    });

    it("leaves a subnet placed only by zone name to the engine's unknown in preview, and decides in up", async () => {
        const named = subnets("k8s", [undefined, undefined], { names: ["us-east-1a", "us-east-1b"], outputs: [{ availabilityZoneId: "<unknown>" }, { availabilityZoneId: "<unknown>" }] });
        const preview = byPolicy(await run([...named, cluster("k8s", named)], [RULE], { mode: "preview" }), RULE);
        assert.ok(preview.length > 0 && preview.every(v => v.unknown), JSON.stringify(preview));
        const after = subnets("k8s", [undefined, undefined], { names: ["us-east-1a", "us-east-1b"], outputs: [{ availabilityZoneId: "use1-az3" }, { availabilityZoneId: "use1-az5" }] });
        assertTrips(await run([...after, cluster("k8s", after)], [RULE], { mode: "up" }), RULE, "use1-az3");
    });

    it("ignores subnets of stacks without EKS", async () => {
        assertClean(await run(subnets("web", ["use1-az3", "use1-az1"]), [RULE]), RULE);
    });

    it("follows the shipped dev stack's real EKS records to their subnets", async () => {
        const rs = (await plan(stackConfig("dev"), "up", "dev")).resources as ResourceRecord[];
        assertClean(await run(rs, [RULE]), RULE);
        const moved = rs.map(r => r.type === "aws:ec2/subnet:Subnet" && r.name === "search-private-a"
            ? { ...r, inputs: { ...r.inputs, availabilityZoneId: "use1-az3" }, outputs: { ...r.outputs, availabilityZoneId: "use1-az3" } }
            : r);
        assertTrips(await run(moved, [RULE]), RULE, "search-private-a", "use1-az3");
    });
});
