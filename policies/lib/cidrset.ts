import { Address4, Address6 } from "ip-address";
import { configValue } from "./stack-config";
import { get, isRecord, str } from "./values";

/**
 * Address sets: CIDR blocks as inclusive [start, end] ranges of BigInt, per
 * family, merged. "Open to the internet" is judged on what a set of sources
 * covers, so `0.0.0.0/1` + `128.0.0.0/1`, a run of public /8s, or `::/1` +
 * `8000::/1` are the same as `0.0.0.0/0` / `::/0` where it matters.
 *
 * Parsing uses `ip-address` (already a dependency, CommonJS); the interval
 * arithmetic is the few lines below.
 */
export type Family = 4 | 6;
export interface Range {
    family: Family;
    start: bigint;
    end: bigint;
}

/** A CIDR block (or a bare address) as a range; undefined when it is not one. */
export function parseCidr(cidr: unknown): Range | undefined {
    if (typeof cidr !== "string") {
        return undefined;
    }
    const s = cidr.trim();
    try {
        if (s.includes(":")) {
            if (!Address6.isValid(s)) return undefined;
            const a = new Address6(s);
            return { family: 6, start: a.startAddress().bigInt(), end: a.endAddress().bigInt() };
        }
        if (!Address4.isValid(s)) return undefined;
        const a = new Address4(s);
        return { family: 4, start: a.startAddress().bigInt(), end: a.endAddress().bigInt() };
    } catch {
        return undefined;
    }
}

/** Sorted, merged (overlapping or adjacent ranges joined). */
export function merge(ranges: Range[]): Range[] {
    const sorted = [...ranges].sort((a, b) => a.family - b.family || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const out: Range[] = [];
    for (const r of sorted) {
        const last = out[out.length - 1];
        if (last && last.family === r.family && r.start <= last.end + 1n) {
            if (r.end > last.end) last.end = r.end;
        } else {
            out.push({ ...r });
        }
    }
    return out;
}

/** `a` minus `b` (both merged or not). */
export function subtract(a: Range[], b: Range[]): Range[] {
    let cur = merge(a);
    for (const cut of merge(b)) {
        const next: Range[] = [];
        for (const r of cur) {
            if (r.family !== cut.family || cut.end < r.start || cut.start > r.end) {
                next.push(r);
                continue;
            }
            if (cut.start > r.start) next.push({ family: r.family, start: r.start, end: cut.start - 1n });
            if (cut.end < r.end) next.push({ family: r.family, start: cut.end + 1n, end: r.end });
        }
        cur = next;
    }
    return cur;
}

export function size(ranges: Range[]): bigint {
    return merge(ranges).reduce((n, r) => n + (r.end - r.start + 1n), 0n);
}

/** Address space that is not the internet (sources: RFC 1918, RFC 6598, RFC 4193, RFC 4291 link-local). */
export const NON_PUBLIC_CIDRS = [
    "10.0.0.0/8", // RFC 1918
    "172.16.0.0/12", // RFC 1918
    "192.168.0.0/16", // RFC 1918
    "100.64.0.0/10", // RFC 6598 shared address space (carrier-grade NAT)
    "fc00::/7", // RFC 4193 unique local addresses
    "fe80::/10", // RFC 4291 link-local unicast
];

/** The platform's own VPC range, from the stack's catalog (`privatelink-platform:platform.vpcCidr`). */
export function platformCidrs(): string[] {
    const platform = configValue("platform");
    const cidr = isRecord(platform) ? str(get(platform, "vpcCidr")) : undefined;
    return cidr ? [cidr] : [];
}

let nonPublicMemo: { key: string; ranges: Range[] } | undefined;
/** CIDR -> whether it holds public addresses, for the current platform ranges. */
const publicMemo = new Map<string, boolean>();
function nonPublic(): Range[] {
    const extra = platformCidrs();
    const key = extra.join(",");
    if (!nonPublicMemo || nonPublicMemo.key !== key) {
        publicMemo.clear();
        nonPublicMemo = { key, ranges: merge([...NON_PUBLIC_CIDRS, ...extra].map(parseCidr).filter((r): r is Range => r !== undefined)) };
    }
    return nonPublicMemo.ranges;
}

/** The public (internet) part of a set of CIDRs: what is left once RFC 1918/6598/4193 and the platform's ranges are taken out. */
export function publicPart(cidrs: unknown[]): Range[] {
    const ranges = cidrs.map(parseCidr).filter((r): r is Range => r !== undefined);
    return subtract(ranges, nonPublic());
}

/** The CIDRs of a list that hold public addresses (each judged on its own; their union is what publicPart measures). */
export function publicCidrs(cidrs: unknown[]): string[] {
    return cidrs.filter((c): c is string => {
        if (typeof c !== "string") {
            return false;
        }
        nonPublic(); // refreshes the platform's ranges (and clears the memo when they change)
        let pub = publicMemo.get(c);
        if (pub === undefined) {
            pub = publicPart([c]).length > 0;
            publicMemo.set(c, pub);
        }
        return pub;
    });
}

const V4_ALL = 2n ** 32n;
const V6_ALL = 2n ** 128n;

/** Whether a set of CIDRs covers every address of a family (the world, however split). */
export function coversWorld(cidrs: unknown[]): Family[] {
    const ranges = merge(cidrs.map(parseCidr).filter((r): r is Range => r !== undefined));
    const out: Family[] = [];
    if (size(ranges.filter((r) => r.family === 4)) === V4_ALL) out.push(4);
    if (size(ranges.filter((r) => r.family === 6)) === V6_ALL) out.push(6);
    return out;
}

/** Human size of a range set: "2^31 addresses". */
export function describeSize(ranges: Range[]): string {
    const n = size(ranges);
    const bits = n.toString(2).length - 1;
    return 2n ** BigInt(bits) === n ? `2^${bits} addresses` : `${n.toString()} addresses`;
}
