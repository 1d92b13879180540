import { LOAD_BALANCER_TYPES } from "../../lib/graph";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { bool, get, show } from "../../lib/values";

export const loadBalancerDeletionProtection = resourceRule({
    name: "load-balancer-deletion-protection",
    description: "Load balancers have deletion protection enabled.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Set enableDeletionProtection: true (prod); dev stacks may disable this policy in policies/config/dev.json.",
    meta: {
        area: "compute",
        rationale: "Deleting an NLB deletes the endpoint service behind it and cuts every consumer; hygiene, so advisory.",
        equivalents: { cdkNag: ["NIST.800.53.R5-ELBDeletionProtectionEnabled"], checkov: ["CKV_AWS_150"] },
    },
    validateResource: ofTypes(LOAD_BALANCER_TYPES, (props, args, report) => {
        const v = get(props, "enableDeletionProtection");
        if (bool(v) !== true) {
            report(`${subject(args)} enableDeletionProtection = ${show(v ?? false)}. Fix: set enableDeletionProtection: true.`);
        }
    }),
});
