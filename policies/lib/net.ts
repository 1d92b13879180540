import { asArray, asStrings, get } from "./values";

/** Any CIDR with a zero-length prefix (0.0.0.0/0, ::/0 and spellings of them) is the whole internet. */
export function isWorldCidr(cidr: unknown): boolean {
    if (typeof cidr !== "string") {
        return false;
    }
    const m = /^\s*([0-9a-fA-F:.]+)\/0+\s*$/.exec(cidr);
    return m !== null;
}

export function worldCidrs(rule: unknown): string[] {
    return [...asStrings(get(rule, "cidrBlocks")), ...asStrings(get(rule, "ipv6CidrBlocks"))].filter(isWorldCidr);
}

export function isAllProtocols(p: unknown): boolean {
    return p === "-1" || p === -1 || (typeof p === "string" && p.toLowerCase() === "all");
}

export function rulesOf(props: unknown, key: "ingress" | "egress"): unknown[] {
    return asArray(get(props, key));
}
