import * as assert from "assert";
import { EKS_UNSUPPORTED_ZONE_IDS } from "../../policies/facts/zones";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { catalogConfig, fargate, Graph, plan } from "../helpers";

/** Another account than the fake cloud's default: its zone names map to other physical zones. */
const OTHER_ACCOUNT = "902117463385";
const services = [fargate("web", { consumes: ["orders"] }), fargate("orders")];

function subnetsOf(g: Graph, service: string) {
    return g.ofType("aws:ec2/subnet:Subnet").filter(s => s.name.startsWith(`${service}-private-`)).sort((a, b) => a.name.localeCompare(b.name));
}

describe("availability zones by zone id", () => {
    it("creates the same physical zones in two accounts whose zone names differ", async () => {
        const config = catalogConfig(services, { availabilityZones: 3 });
        const [a, b] = [new Graph(await plan(config, "up")), new Graph(await plan(config, "up", "test", OTHER_ACCOUNT))];
        const ids = (g: Graph) => subnetsOf(g, "orders").map(s => s.outputs.availabilityZoneId);
        const names = (g: Graph) => subnetsOf(g, "orders").map(s => s.outputs.availabilityZone);
        assert.deepStrictEqual(ids(a), ids(b));
        assert.notDeepStrictEqual(names(a), names(b), "the accounts' zone names should differ for the same zone ids");
        for (const s of subnetsOf(a, "orders")) {
            assert.strictEqual(s.inputs.availabilityZone, undefined, `${s.name} is placed by zone id only`);
            assert.match(String(s.inputs.availabilityZoneId), /^use1-az\d$/);
            assert.strictEqual(s.inputs.availabilityZoneId, s.outputs.availabilityZoneId);
        }
    });

    it("never picks a zone id EKS refuses, whatever the account", async () => {
        const refused = new Set(EKS_UNSUPPORTED_ZONE_IDS.map(z => z.zoneId));
        for (const account of [ACCOUNT_ID, OTHER_ACCOUNT]) {
            const g = new Graph(await plan(catalogConfig(services, { availabilityZones: 5 }), "up", "test", account));
            const ids = g.ofType("aws:ec2/subnet:Subnet").map(s => String(s.inputs.availabilityZoneId));
            assert.strictEqual(new Set(ids).size, 5);
            assert.deepStrictEqual(ids.filter(z => refused.has(z)), [], `account ${account}`);
        }
    });

    it("uses the zone ids platform.zoneIds names, in every service, and exports them", async () => {
        const g = new Graph(await plan(catalogConfig(services, { zoneIds: ["use1-az6", "use1-az4"] }), "up", "test", OTHER_ACCOUNT));
        for (const svc of ["web", "orders"]) {
            assert.deepStrictEqual(subnetsOf(g, svc).map(s => s.inputs.availabilityZoneId), ["use1-az6", "use1-az4"]);
        }
        const outputs = g.result.outputs.services as Record<string, { zoneIds: string[] }>;
        assert.deepStrictEqual(outputs.orders.zoneIds, ["use1-az6", "use1-az4"]);
        assert.deepStrictEqual(outputs.web.zoneIds, ["use1-az6", "use1-az4"]);
    });

    it("fails with the field's name when platform.zoneIds names a zone the region lacks", async () => {
        const result = plan(catalogConfig(services, { zoneIds: ["usw2-az1", "usw2-az2"] }), "up");
        await assert.rejects(result, /platform\.zoneIds names usw2-az1, usw2-az2/);
    });

    it("offers each endpoint service in exactly the zones of its NLB's subnets", async () => {
        const g = new Graph(await plan(catalogConfig(services, { availabilityZones: 3 }), "up", "test", OTHER_ACCOUNT));
        const svc = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "orders-endpoint-service");
        const nlbSubnets = g.deps(g.one("aws:lb/loadBalancer:LoadBalancer", "orders-nlb"), "subnets");
        assert.strictEqual(nlbSubnets.length, 3);
        assert.deepStrictEqual(svc.outputs.availabilityZones, nlbSubnets.map(s => String(s.outputs.availabilityZone)).sort());
    });
});
