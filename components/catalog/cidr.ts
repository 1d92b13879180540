import { Address4 } from "ip-address";

/** AWS accepts VPC CIDR blocks from /16 to /28. */
export const VPC_PREFIX_MIN = 16;
export const VPC_PREFIX_MAX = 28;
/** AWS reserves five addresses in every subnet. */
export const AWS_RESERVED_PER_SUBNET = 5;

export type CidrCheck = { ok: true; prefix: number } | { ok: false; reason: string };

/** Checks that `cidr` is an IPv4 network address AWS accepts for a VPC. */
export function checkVpcCidr(cidr: string): CidrCheck {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) {
        return { ok: false, reason: `${JSON.stringify(cidr)} is not an IPv4 CIDR block such as "10.0.0.0/16"` };
    }
    let addr: Address4;
    try {
        addr = new Address4(cidr);
    } catch {
        return { ok: false, reason: `${JSON.stringify(cidr)} is not an IPv4 CIDR block such as "10.0.0.0/16"` };
    }
    const prefix = addr.subnetMask;
    if (prefix < VPC_PREFIX_MIN || prefix > VPC_PREFIX_MAX) {
        return { ok: false, reason: `${cidr} has prefix /${prefix}; AWS accepts VPC blocks from /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX}` };
    }
    const network = addr.startAddress().address;
    if (network !== addr.addressMinusSuffix) {
        return { ok: false, reason: `${cidr} has host bits set; did you mean ${network}/${prefix}?` };
    }
    return { ok: true, prefix };
}

/** Most availability zones a platform may span. */
export const MAX_ZONES = 6;
/**
 * Every VPC block is cut into this many equal slots, one per zone, whatever
 * the zone count: a subnet's block never changes when zones are added.
 */
export const SUBNET_SLOTS = 2 ** Math.ceil(Math.log2(MAX_ZONES));

/** Prefix length of each zone's subnet in a VPC block of the given prefix. */
export function subnetPrefix(vpcPrefix: number): number {
    return vpcPrefix + Math.log2(SUBNET_SLOTS);
}

/** Addresses a subnet of the given prefix leaves for ENIs once AWS's reservations are taken. */
export function usableAddresses(prefix: number): number {
    return 2 ** (32 - prefix) - AWS_RESERVED_PER_SUBNET;
}

/**
 * The first `count` zone subnets of a VPC block, in order. Subnet i is always
 * slot i, so adding a zone adds a subnet and moves none.
 */
export function planSubnets(vpcCidr: string, count: number): string[] {
    if (count > SUBNET_SLOTS) {
        throw new RangeError(`at most ${SUBNET_SLOTS} subnets fit the slot plan, asked for ${count}`);
    }
    const vpc = new Address4(vpcCidr);
    const prefix = subnetPrefix(vpc.subnetMask);
    const size = 2n ** BigInt(32 - prefix);
    const base = vpc.startAddress().bigInt();
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
        out.push(`${Address4.fromBigInt(base + BigInt(i) * size).address}/${prefix}`);
    }
    return out;
}

/**
 * At most this many addresses may reach a public EKS API endpoint: CI's and
 * operators' egress ranges are a handful of addresses, never a slice of the
 * internet. 0.0.0.0/0 split as 0.0.0.0/1 + 128.0.0.0/1 (or a run of /8s) is
 * still the internet.
 */
export const PUBLIC_ACCESS_MAX_ADDRESSES = 2 ** 16;

/** Addresses covered by a list of IPv4 CIDRs, overlaps counted once; undefined if one is not a CIDR. */
export function coveredAddresses(cidrs: readonly string[]): number | undefined {
    const ranges: [number, number][] = [];
    for (const c of cidrs) {
        if (!Address4.isValid(c)) return undefined;
        const a = new Address4(c);
        ranges.push([Number(a.startAddress().bigInt()), Number(a.endAddress().bigInt())]);
    }
    ranges.sort((x, y) => x[0] - y[0]);
    let total = 0;
    let end = -1;
    for (const [s, e] of ranges) {
        if (e <= end) continue;
        total += e - Math.max(s, end + 1) + 1;
        end = e;
    }
    return total;
}

/** Why a set of public-access CIDRs is too wide, or undefined when it is fine. */
export function publicAccessProblem(cidrs: readonly string[]): string | undefined {
    const n = coveredAddresses(cidrs);
    if (n === undefined || n <= PUBLIC_ACCESS_MAX_ADDRESSES) return undefined;
    const what = n === 2 ** 32 ? "the whole internet" : `${n} addresses`;
    return `${cidrs.join(", ")} together open the API to ${what} (more than ${PUBLIC_ACCESS_MAX_ADDRESSES}, a /16): list your CI's egress CIDRs`;
}
