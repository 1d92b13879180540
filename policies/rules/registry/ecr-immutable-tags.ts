import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, show, str } from "../../lib/values";

export const ecrImmutableTags = resourceRule({
    name: "ecr-immutable-tags",
    description: "ECR repositories have immutable image tags.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: 'Set imageTagMutability: "IMMUTABLE" and deploy by digest or unique tag.',
    meta: {
        area: "registry",
        rationale: "A mutable tag lets whoever can push change what a running service pulls next.",
        equivalents: { checkov: ["CKV_AWS_51"], compliancePolicies: ["aws-ecr-repository-disallow-mutable-image"] },
    },
    validateResource: ofType("aws:ecr/repository:Repository", (props, args, report) => {
        const v = get(props, "imageTagMutability");
        if (!(str(v) ?? "").startsWith("IMMUTABLE")) {
            report(`${subject(args)} imageTagMutability = ${show(v ?? "(default MUTABLE)")}. Fix: set imageTagMutability: "IMMUTABLE".`);
        }
    }),
});
