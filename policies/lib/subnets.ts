/**
 * EC2's create-time refusals of a subnet's CIDR, as plain functions shared by
 * the pack's deployability rules (`subnet-cidr-in-vpc`, `subnets-no-overlap`)
 * and the offline preview's fake cloud (tools/preview/cloud/ec2.ts).
 *
 * CreateSubnet fails with `InvalidSubnet.Range` when the block is not inside
 * one of the VPC's IPv4 blocks, and with `InvalidSubnet.Conflict` when it
 * overlaps another subnet of the same VPC (Amazon EC2 API Reference, "Error
 * codes for the Amazon EC2 API"; Amazon VPC User Guide, "Subnet CIDR
 * blocks": "The CIDR block of a subnet can be the same as the CIDR block for
 * the VPC … or a subset of the CIDR block for the VPC", "the CIDR blocks of
 * the subnets cannot overlap").
 */
import { parseCidr, Range } from "./cidrset";

/** Whether `inner` lies inside `outer`. */
function within(inner: Range, outer: Range): boolean {
    return inner.family === outer.family && inner.start >= outer.start && inner.end <= outer.end;
}

function overlaps(a: Range, b: Range): boolean {
    return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/** True when `cidr` is outside every one of the VPC's IPv4 blocks (all of them known and parseable). */
export function outsideVpc(cidr: string, vpcBlocks: readonly string[]): boolean {
    const own = parseCidr(cidr);
    const blocks = vpcBlocks.map(parseCidr);
    if (!own || own.family !== 4 || blocks.length === 0 || blocks.some(b => b === undefined)) return false;
    return !blocks.some(b => within(own, b!));
}

/** The first of `siblings` whose block overlaps `cidr`, if any. */
export function overlappingSibling<T extends { cidrBlock: string }>(cidr: string, siblings: readonly T[]): T | undefined {
    const own = parseCidr(cidr);
    if (!own) return undefined;
    return siblings.find(s => {
        const other = parseCidr(s.cidrBlock);
        return other !== undefined && overlaps(own, other);
    });
}
