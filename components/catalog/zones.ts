/**
 * Availability zones by zone id. Plain data and functions, no Pulumi: the
 * program picks its zones with them and the policy pack's
 * `eks-supported-zones` rule shares the same list.
 *
 * AWS maps zone names (`us-east-1a`) to physical zones independently for each
 * account; a zone id (`use1-az1`) names the same physical zone in every
 * account. Sources: AWS RAM User Guide, "AZ IDs for your AWS resources"
 * (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html);
 * VPC PrivateLink guide, "Create an endpoint service" (consumers see only the
 * zones they share with the provider, matched by zone id).
 */
import type { CatalogProblem } from "./errors";

const EKS_SUBNET_DOC =
    "Amazon EKS User Guide, \"View Amazon EKS networking requirements for VPC and subnets\", Subnet requirements for clusters " +
    "(https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets)";

/** Zone ids in which EKS refuses cluster subnets (the control plane's network interfaces), with where that is written. */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly { zoneId: string; region: string; source: string }[] = [
    { zoneId: "use1-az3", region: "us-east-1", source: EKS_SUBNET_DOC },
    { zoneId: "usw1-az2", region: "us-west-1", source: EKS_SUBNET_DOC },
    { zoneId: "cac1-az3", region: "ca-central-1", source: EKS_SUBNET_DOC },
    // Not in the user guide's table; eksctl (the EKS CLI) avoids it after
    // UnsupportedAvailabilityZoneException reports (eksctl-io/eksctl#3916, pkg/az/az.go).
    { zoneId: "cnn1-az4", region: "cn-north-1", source: "eksctl pkg/az/az.go zoneIDsToAvoid (eksctl-io/eksctl#3916)" },
];

const EKS_UNSUPPORTED = new Set(EKS_UNSUPPORTED_ZONE_IDS.map(z => z.zoneId));

/** Whether EKS refuses cluster subnets in this zone id. */
export function eksRefusesZone(zoneId: string): boolean {
    return EKS_UNSUPPORTED.has(zoneId);
}

const VPC_LINK_V2_DOC =
    "Amazon API Gateway Developer Guide, \"Working with VPC links for HTTP APIs\", availability by Region " +
    "(https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html)";

/**
 * Regions where VPC links v2 (the front door's link to its edge ALB) exist
 * only in some zones, with the zone ids that have them. In a Region not
 * listed, every zone has them.
 */
export const VPC_LINK_V2_ZONE_IDS: readonly { region: string; prefix: string; zoneIds: readonly string[]; source: string }[] = [
    { region: "us-east-1", prefix: "use1", zoneIds: ["use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6"], source: VPC_LINK_V2_DOC },
    { region: "us-west-1", prefix: "usw1", zoneIds: ["usw1-az1", "usw1-az3"], source: VPC_LINK_V2_DOC },
    { region: "ap-east-1", prefix: "ape1", zoneIds: ["ape1-az2", "ape1-az3"], source: VPC_LINK_V2_DOC },
];

/** Whether API Gateway offers VPC links v2 in this zone id. */
export function vpcLinkV2InZone(zoneId: string): boolean {
    const prefix = zoneId.replace(/-az[0-9]+$/, "");
    const listed = VPC_LINK_V2_ZONE_IDS.find(r => r.prefix === prefix);
    return !listed || listed.zoneIds.includes(zoneId);
}

/** A zone id of an availability zone: `<region code>-az<n>` (`use1-az1`, `apne1-az4`); Local Zones (`usw2-lax1-az1`) do not match. */
export const ZONE_ID_PATTERN = /^[a-z]+[0-9]+-az[0-9]+$/;

/**
 * The zones a stack's VPCs use, by zone id.
 *
 * Configured ids (`platform.zoneIds`) are used as given, in their order,
 * each checked against the region's available zones. Otherwise the first
 * `count` available zone ids in sorted order, leaving out every zone id EKS
 * refuses: whatever runtimes the stack has, so that adding an EKS service
 * later does not move every subnet of the stack to another zone. With a
 * front door (`opts.frontDoor`) also every zone without VPC links v2.
 */
export function selectZoneIds(available: readonly string[], count: number, configured?: readonly string[], opts: { frontDoor?: boolean } = {}): string[] {
    if (configured && configured.length > 0) {
        const missing = configured.filter(z => !available.includes(z));
        if (missing.length > 0) {
            throw new Error(
                `platform.zoneIds names ${missing.join(", ")}, which the region does not offer as an available zone ` +
                `(it offers ${[...available].sort().join(", ")}); list zone ids of the stack's region`,
            );
        }
        return [...configured];
    }
    // With a front door, the edge VPC's zones (every VPC's) must also have VPC links v2.
    const usable = [...available].filter(z => !eksRefusesZone(z) && (!opts.frontDoor || vpcLinkV2InZone(z))).sort(byZoneNumber);
    if (usable.length < count) {
        throw new Error(
            `platform.availabilityZones is ${count}, but the region has only ${usable.length} available zones ` +
            `that every runtime${opts.frontDoor ? " and the front door's VPC link" : ""} accepts (${usable.join(", ")}): lower it to ${usable.length}`,
        );
    }
    return usable.slice(0, count);
}

/** `use1-az2` before `use1-az10`. */
function byZoneNumber(a: string, b: string): number {
    const na = Number(/-az(\d+)$/.exec(a)?.[1] ?? NaN);
    const nb = Number(/-az(\d+)$/.exec(b)?.[1] ?? NaN);
    return a.replace(/\d+$/, "") === b.replace(/\d+$/, "") && !isNaN(na) && !isNaN(nb) ? na - nb : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Catalog checks of `platform.zoneIds` the schema cannot express (it checks
 * the format and that there are at least two): duplicates, one region, agreement with
 * `availabilityZones`, and no zone EKS refuses when the catalog has an `eks`
 * service.
 */
export function checkZoneIds(rawPlatform: Record<string, unknown>, hasEks: boolean, problems: CatalogProblem[]): void {
    const ids = rawPlatform.zoneIds;
    if (ids === undefined) {
        return;
    }
    if (!Array.isArray(ids)) {
        return; // the schema reports it
    }
    const seen = new Map<string, number>();
    ids.forEach((id, i) => {
        const path = `platform.zoneIds[${i}]`;
        // The schema reports entries that are not zone ids.
        if (typeof id !== "string" || !ZONE_ID_PATTERN.test(id)) {
            return;
        }
        const first = seen.get(id);
        if (first !== undefined) {
            problems.push({ path, message: `${id} is listed twice (also platform.zoneIds[${first}]); list each zone once` });
            return;
        }
        seen.set(id, i);
        if (hasEks && eksRefusesZone(id)) {
            const entry = EKS_UNSUPPORTED_ZONE_IDS.find(z => z.zoneId === id)!;
            problems.push({
                path,
                message: `EKS does not accept cluster subnets in ${id} (${entry.region}; source: ${entry.source}), and this catalog has an eks service; ` +
                    `choose another zone id of the region`,
            });
        }
    });
    const valid = [...seen.keys()];
    const regions = new Set(valid.map(z => z.replace(/-az[0-9]+$/, "")));
    if (regions.size > 1) {
        problems.push({ path: "platform.zoneIds", message: `mixes zones of several regions (${[...regions].join(", ")}); list zones of the stack's region only` });
    }
    const count = rawPlatform.availabilityZones;
    if (typeof count === "number" && count !== ids.length) {
        problems.push({
            path: "platform.availabilityZones",
            message: `is ${count}, but platform.zoneIds lists ${ids.length} zones; remove availabilityZones (the list sets the count) or make them agree`,
        });
    }
}
