/**
 * Availability zones by zone id: how the program picks its zones and checks
 * the catalog's `platform.zoneIds`. The zone ids EKS refuses and those with
 * VPC links v2 are AWS facts the policy pack owns (policies/facts/zones.ts).
 *
 * AWS maps zone names (`us-east-1a`) to physical zones independently for each
 * account; a zone id (`use1-az1`) names the same physical zone in every
 * account. Sources: AWS RAM User Guide, "AZ IDs for your AWS resources"
 * (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html);
 * VPC PrivateLink guide, "Create an endpoint service" (consumers see only the
 * zones they share with the provider, matched by zone id).
 */
import { allRuntimeFacts, RuntimeFacts } from "../../policies/facts/runtimes";
import { vpcLinkV2InZone, ZONE_ID_PATTERN } from "../../policies/facts/zones";
import type { CatalogProblem } from "./errors";

/**
 * The zones a stack's VPCs use, by zone id.
 *
 * Configured ids (`platform.zoneIds`) are used as given, in their order,
 * each checked against the region's available zones. Otherwise the first
 * `count` available zone ids in sorted order, leaving out every zone id a
 * runtime refuses (EKS's control plane: policies/facts/runtimes): whatever
 * runtimes the stack has, so that adding an EKS service later does not move
 * every subnet of the stack to another zone. With a
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
    const usable = [...available].filter(z => !anyRuntimeRefuses(z) && (!opts.frontDoor || vpcLinkV2InZone(z))).sort(byZoneNumber);
    if (usable.length < count) {
        throw new Error(
            `platform.availabilityZones is ${count}, but the region has only ${usable.length} available zones ` +
            `that every runtime${opts.frontDoor ? " and the front door's VPC link" : ""} accepts (${usable.join(", ")}): lower it to ${usable.length}`,
        );
    }
    return usable.slice(0, count);
}

function anyRuntimeRefuses(zoneId: string): boolean {
    return allRuntimeFacts().some(r => r.refusesZone?.(zoneId) !== undefined);
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
 * `availabilityZones`, and no zone a runtime of the catalog refuses (EKS's
 * control plane).
 */
export function checkZoneIds(rawPlatform: Record<string, unknown>, runtimes: readonly RuntimeFacts[], problems: CatalogProblem[]): void {
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
        for (const runtime of new Set(runtimes)) {
            const why = runtime.refusesZone?.(id);
            if (why !== undefined) {
                problems.push({ path, message: `${why}, and this catalog has an ${runtime.name} service; choose another zone id of the region` });
            }
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
