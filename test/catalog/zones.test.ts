import * as assert from "assert";
import { findProblems, RawCatalog, selectZoneIds, validateCatalog } from "../../components/catalog";
import { VPC_LINK_V2_ZONE_IDS, vpcLinkV2InZone } from "../../policies/facts/zones";

const svc = (name: string, extra: Record<string, unknown> = {}) => ({ name, runtime: "fargate", port: 8080, image: "1.0.0", ...extra });
const eks = (name: string) => ({ name, runtime: "eks", port: 8080, image: "1.0.0", instanceTypes: ["m7i.large"] });

function problems(raw: RawCatalog): string[] {
    return findProblems(raw).problems.map(p => `${p.path}: ${p.message}`);
}

describe("catalog: platform.zoneIds", () => {
    it("accepts zone ids and takes the zone count from them", () => {
        const catalog = validateCatalog({ platform: { zoneIds: ["use1-az1", "use1-az2", "use1-az4"] }, services: [svc("a")] });
        assert.deepStrictEqual(catalog.platform.zoneIds, ["use1-az1", "use1-az2", "use1-az4"]);
        assert.strictEqual(catalog.platform.availabilityZones, 3);
    });

    it("refuses zone names, malformed ids, duplicates, fewer than two and mixed regions, naming the path", () => {
        assert.deepStrictEqual(problems({ platform: { zoneIds: ["us-east-1a", "use1-az2"] }, services: [svc("a")] }).map(p => p.split(":")[0]), ["platform.zoneIds[0]"]);
        assert.match(problems({ platform: { zoneIds: ["us-east-1a", "use1-az2"] }, services: [svc("a")] })[0], /not an availability zone id.*not names such as us-east-1a/);
        assert.match(problems({ platform: { zoneIds: ["use1-az1", "use1-az1"] }, services: [svc("a")] }).join("\n"), /^platform\.zoneIds\[1\]: use1-az1 is listed twice/m);
        assert.match(problems({ platform: { zoneIds: ["use1-az1"] }, services: [svc("a")] }).join("\n"), /^platform\.zoneIds: must name at least 2 zones/m);
        assert.match(problems({ platform: { zoneIds: ["use1-az1", "usw2-az1"] }, services: [svc("a")] }).join("\n"), /^platform\.zoneIds: mixes zones of several regions/m);
        assert.match(problems({ platform: { zoneIds: "use1-az1" }, services: [svc("a")] }).join("\n"), /^platform\.zoneIds: must be a list of zone ids/m);
    });

    it("refuses a count that disagrees with the list", () => {
        assert.match(problems({ platform: { zoneIds: ["use1-az1", "use1-az2"], availabilityZones: 3 }, services: [svc("a")] }).join("\n"), /^platform\.availabilityZones: is 3, but platform\.zoneIds lists 2 zones/m);
        assert.deepStrictEqual(problems({ platform: { zoneIds: ["use1-az1", "use1-az2"], availabilityZones: 2 }, services: [svc("a")] }), []);
    });

    it("refuses a zone id EKS does not accept when the catalog has an eks service, with the source", () => {
        const raw = { platform: { zoneIds: ["use1-az1", "use1-az3"] }, services: [svc("a"), eks("k")] };
        assert.match(problems(raw).join("\n"), /^platform\.zoneIds\[1\]: EKS does not accept cluster subnets in use1-az3 .*network-reqs/m);
        assert.deepStrictEqual(problems({ platform: { zoneIds: ["use1-az1", "use1-az3"] }, services: [svc("a")] }), []);
    });
});

describe("selectZoneIds", () => {
    const region = ["use1-az4", "use1-az1", "use1-az6", "use1-az3", "use1-az2", "use1-az5"];

    it("picks the lowest zone ids, leaving out every zone EKS refuses", () => {
        assert.deepStrictEqual(selectZoneIds(region, 3), ["use1-az1", "use1-az2", "use1-az4"]);
        assert.deepStrictEqual(selectZoneIds(["use1-az10", "use1-az9", "use1-az2"], 3), ["use1-az2", "use1-az9", "use1-az10"]);
    });

    it("fails naming the count when the region has too few usable zones", () => {
        assert.throws(() => selectZoneIds(region, 6), /platform\.availabilityZones is 6, but the region has only 5 .*lower it to 5/);
    });

    it("uses configured ids as given, and refuses ids the region lacks", () => {
        assert.deepStrictEqual(selectZoneIds(region, 2, ["use1-az6", "use1-az3"]), ["use1-az6", "use1-az3"]);
        assert.throws(() => selectZoneIds(region, 2, ["use1-az1", "use1-az9"]), /platform\.zoneIds names use1-az9/);
    });
});

describe("zones with a front door: VPC links v2 exist only in listed zones of some Regions", () => {
    it("leaves out zones without VPC links v2 when the catalog has a front door, and only then", () => {
        const ape1 = ["ape1-az1", "ape1-az2", "ape1-az3"];
        assert.deepStrictEqual(selectZoneIds(ape1, 2), ["ape1-az1", "ape1-az2"]);
        assert.deepStrictEqual(selectZoneIds(ape1, 2, undefined, { frontDoor: true }), ["ape1-az2", "ape1-az3"]);
        assert.deepStrictEqual(selectZoneIds(["use1-az1", "use1-az2", "use1-az3", "use1-az4"], 2, undefined, { frontDoor: true }), ["use1-az1", "use1-az2"]);
        assert.throws(() => selectZoneIds(["usw1-az1", "usw1-az2"], 2, undefined, { frontDoor: true }), /only 1 available zones that every runtime and the front door's VPC link accepts \(usw1-az1\)/);
        assert.ok(vpcLinkV2InZone("euw1-az3"), "a Region the table does not list has them in every zone");
        for (const r of VPC_LINK_V2_ZONE_IDS) assert.match(r.source, /Working with VPC links for HTTP APIs/);
    });
});
