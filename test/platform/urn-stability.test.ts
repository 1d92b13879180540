import * as assert from "assert";
import { catalogConfig, fargate, plan } from "../helpers";
import type { PreviewResult } from "../../tools/preview";

const base = [
    fargate("web", { consumes: ["orders", "catalog"] }),
    fargate("orders", { consumes: ["payments"] }),
    fargate("payments"),
    fargate("catalog"),
];

/** URNs of the resources that belong to the given services (by tag or by owning component name). */
function urnsOf(result: PreviewResult, services: string[]): string[] {
    const names = new Set(services);
    const byUrn = new Map(result.resources.map(r => [r.urn, r]));
    const owner = (urn: string): string | undefined => {
        for (let r = byUrn.get(urn); r; r = r.parent ? byUrn.get(r.parent) : undefined) {
            const tag = (r.inputs.tags as Record<string, string> | undefined)?.["privatelink:service"];
            if (tag) return tag;
            if (names.has(r.name)) return r.name;
            const edge = /^(.+)-to-(.+)$/.exec(r.name);
            if (edge && names.has(edge[1])) return edge[1];
        }
        return undefined;
    };
    return result.resources.map(r => r.urn).filter(u => names.has(owner(u) ?? "")).sort();
}

describe("URN stability", () => {
    let baseline: PreviewResult;
    const untouched = ["orders", "payments", "catalog"];

    before(async () => {
        baseline = await plan(catalogConfig(base), "preview");
        assert.ok(urnsOf(baseline, untouched).length > 100);
    });

    it("keeps every other service's URNs when a service is added", async () => {
        const after = await plan(catalogConfig([fargate("audit"), ...base]), "preview");
        assert.deepStrictEqual(urnsOf(after, untouched), urnsOf(baseline, untouched));
        assert.ok(urnsOf(after, ["audit"]).length > 30);
    });

    it("keeps every other service's URNs when a service is removed", async () => {
        const after = await plan(catalogConfig([fargate("web", { consumes: ["orders"] }), ...base.slice(1, 3)]), "preview");
        assert.deepStrictEqual(urnsOf(after, ["orders", "payments"]), urnsOf(baseline, ["orders", "payments"]));
        assert.deepStrictEqual(urnsOf(after, ["catalog"]), []);
    });

    it("keeps every URN when the list is reordered", async () => {
        const after = await plan(catalogConfig([...base].reverse()), "preview");
        assert.deepStrictEqual(after.resources.map(r => r.urn).sort(), baseline.resources.map(r => r.urn).sort());
    });

    it("keeps subnet URNs and CIDRs when a zone is added", async () => {
        const two = await plan(catalogConfig(base, { availabilityZones: 2 }), "up");
        const three = await plan(catalogConfig(base, { availabilityZones: 3 }), "up");
        const subnets = (r: PreviewResult) => new Map(r.resources.filter(x => x.type === "aws:ec2/subnet:Subnet").map(x => [x.urn, x.inputs.cidrBlock]));
        const a = subnets(two);
        const b = subnets(three);
        for (const [urn, cidr] of a) {
            assert.strictEqual(b.get(urn), cidr, urn);
        }
        assert.strictEqual(b.size, a.size + base.length);
    });
});
