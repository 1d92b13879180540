import { coversWorld, publicCidrs } from "./cidrset";
import { asArray, asStrings, get, str, text } from "./values";

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

/** One security-group rule whose CIDRs reach public address space. */
export interface PublicRuleFinding {
    /** "ingress[0]", "(type egress)", "cidrIpv4". */
    where: string;
    /** The CIDRs of the rule that hold public addresses. */
    cidrs: string[];
    /** "; together they cover every IPv4 address" when the rule's CIDRs union to the world. */
    union: string;
    ports: string;
}

function finding(where: string, cidrs: string[], ports: string): PublicRuleFinding[] {
    const pub = publicCidrs(cidrs);
    if (pub.length === 0) {
        return [];
    }
    const world = coversWorld(cidrs);
    const union = world.length > 0 ? `; together they cover every IPv${world.join(" and IPv")} address` : "";
    return [{ where, cidrs: pub, union, ports }];
}

const portsOf = (r: unknown, proto = "protocol") => `${text(get(r, proto))} ${text(get(r, "fromPort"))}-${text(get(r, "toPort"))}`;

export const SG = "aws:ec2/securityGroup:SecurityGroup";
export const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/**
 * Rules of a security group (inline, SecurityGroupRule, or the aws.vpc rule
 * resources) whose sources/destinations hold any public address: anything
 * outside RFC 1918, RFC 6598, IPv6 ULA/link-local and the platform's range.
 */
export function publicRules(type: string, props: unknown, direction: "ingress" | "egress", each: (f: PublicRuleFinding) => void): void {
    const cidrsOf = (r: unknown) => [...asStrings(get(r, "cidrBlocks")), ...asStrings(get(r, "ipv6CidrBlocks"))];
    // Findings are handed over one rule at a time, so those made before an unknown value is read are kept.
    const emit = (fs: PublicRuleFinding[]) => fs.forEach(each);
    if (type === SG) {
        rulesOf(props, direction).forEach((r, i) => emit(finding(`${direction}[${i}]`, cidrsOf(r), portsOf(r))));
    } else if (type === SG_RULE) {
        if (str(get(props, "type")) === direction) emit(finding(`(type ${direction})`, cidrsOf(props), portsOf(props)));
    } else if ((type === SG_INGRESS && direction === "ingress") || (type === SG_EGRESS && direction === "egress")) {
        for (const k of ["cidrIpv4", "cidrIpv6"]) emit(finding(k, asStrings(get(props, k)), portsOf(props, "ipProtocol")));
    }
}
