import { EKS_CLUSTER, EKS_COMPONENT, eksSettings, publicEndpointOn } from "../../lib/eks";
import { coversWorld, publicPart, size } from "../../lib/cidrset";
import { isWorldCidr } from "../../lib/net";

/** The catalog's bound (components/catalog/cidr.ts PUBLIC_ACCESS_MAX_ADDRESSES): a /16 of public addresses. */
const PUBLIC_ACCESS_MAX = 2n ** 16n;
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { asArray, show, text } from "../../lib/values";

export const eksEndpointPrivate = resourceRule({
    name: "eks-endpoint-private",
    description: "The EKS API endpoint is private, or public only to listed CIDRs that never include 0.0.0.0/0.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Set endpointPublicAccess: false and endpointPrivateAccess: true; if a public endpoint is unavoidable, set publicAccessCidrs to specific ranges.",
    meta: {
        area: "compute",
        rationale: "The cluster API is the control plane of a service; AWS's default exposes it to 0.0.0.0/0.",
        equivalents: {
            cdkNag: ["AwsSolutions-EKS1"],
            checkov: ["CKV_AWS_39", "CKV_AWS_38"],
            compliancePolicies: ["aws-eks-cluster-disallow-api-endpoint-public-access"],
        },
    },
    validateResource: ofTypes([EKS_CLUSTER, EKS_COMPONENT], (props, args, report) => {
        const s = eksSettings(args.type, props);
        if (!publicEndpointOn(s)) {
            return;
        }
        const cidrs = asArray(s.publicAccessCidrs);
        if (cidrs.length === 0) {
            report(
                `${subject(args)} ${s.paths.publicAccess} = ${show(s.publicAccess ?? "(default true)")} with no ${s.paths.publicAccessCidrs}, so the API is open to 0.0.0.0/0. ` +
                    `Fix: set ${s.paths.publicAccess}: false (or restrict ${s.paths.publicAccessCidrs}).`,
            );
            return;
        }
        for (const c of cidrs) {
            if (isWorldCidr(c)) {
                report(`${subject(args)} ${s.paths.publicAccessCidrs} includes ${text(c)}. Fix: set ${s.paths.publicAccess}: false or list specific CIDRs.`);
                return;
            }
        }
        const pub = size(publicPart(cidrs));
        if (pub > PUBLIC_ACCESS_MAX) {
            report(
                `${subject(args)} ${s.paths.publicAccessCidrs} = ${show(cidrs)} together open the API to ${coversWorld(cidrs).includes(4) ? "every IPv4 address" : `${pub.toString()} public addresses`} (more than a /16). ` +
                    `Fix: set ${s.paths.publicAccess}: false or list only CI's egress CIDRs.`,
            );
        }
    }),
});
