import { documentationRangeOf } from "../../facts/documentation-values";
import { EKS_CLUSTER, EKS_COMPONENT, eksSettings, publicEndpointOn } from "../../lib/eks";
import { isWorldCidr } from "../../lib/net";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { asArray, show, text } from "../../lib/values";

export const eksPublicAccessCidrs = resourceRule({
    name: "eks-public-access-cidrs",
    description:
        "A public EKS API endpoint admits only CIDRs a real machine can have: never a documentation range, never 0.0.0.0/0, never an empty list (which AWS turns into 0.0.0.0/0).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "List the egress CIDRs of the machines that run pulumi up (curl -s https://checkip.amazonaws.com on each; your CI's published ranges); leave platform.eks.publicAccessCidrs as { needsInput: ... } until you know them; or turn the public endpoint off.",
    meta: {
        area: "deployability",
        rationale:
            "Pulumi applies the Kubernetes objects of an eks service through the cluster's API endpoint; with the public side limited to a " +
            "range reserved for documentation (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) no machine reaches it and pulumi up " +
            "waits until it times out. An empty list is no limit: EKS defaults publicAccessCidrs to 0.0.0.0/0 (Amazon EKS API reference, " +
            "VpcConfigRequest.publicAccessCidrs; Amazon EKS User Guide, \"Cluster API server endpoint\"). eks-endpoint-private reports " +
            "the same open endpoint as a security finding.",
        equivalents: { checkov: ["CKV_AWS_38"] },
    },
    validateResource: ofTypes([EKS_CLUSTER, EKS_COMPONENT], (props, args, report) => {
        const s = eksSettings(args.type, props);
        if (!publicEndpointOn(s)) {
            return;
        }
        const cidrs = asArray(s.publicAccessCidrs);
        if (cidrs.length === 0) {
            report(
                `${subject(args)} has a public API endpoint (${s.paths.publicAccess} = ${show(s.publicAccess ?? "(default true)")}) and no ${s.paths.publicAccessCidrs}, ` +
                    `which EKS defaults to 0.0.0.0/0. Fix: list the egress CIDRs of the machines that run pulumi up, or set ${s.paths.publicAccess}: false.`,
            );
            return;
        }
        cidrs.forEach((c, i) => {
            if (isWorldCidr(c)) {
                report(`${subject(args)} ${s.paths.publicAccessCidrs}[${i}] = ${text(c)} opens the API to the whole internet. Fix: list the egress CIDRs of the machines that run pulumi up.`);
                return;
            }
            const doc = typeof c === "string" ? documentationRangeOf(c) : undefined;
            if (doc) {
                report(
                    `${subject(args)} ${s.paths.publicAccessCidrs}[${i}] = ${text(c)} ${c === doc ? "is" : `overlaps ${doc},`} reserved for documentation (RFC 5737): no machine has it, so pulumi up ` +
                        `cannot reach the API and times out. Fix: list the egress CIDRs of the machines that run pulumi up.`,
                );
            }
        });
    }),
});
