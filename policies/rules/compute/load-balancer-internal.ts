import { LOAD_BALANCER_TYPES } from "../../lib/graph";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { bool, get, show } from "../../lib/values";

export const loadBalancerInternal = resourceRule({
    name: "load-balancer-internal",
    description: "Every load balancer (all three type aliases, and awsx load balancers) is internal.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Set internal: true (a load balancer is internet-facing unless told otherwise) and place it in the service VPC's private subnets.",
    meta: {
        area: "compute",
        rationale: "An internet-facing load balancer is a public door next to the PrivateLink one; in a VPC without an IGW it is also broken.",
        equivalents: {},
    },
    validateResource: ofTypes([...LOAD_BALANCER_TYPES, "awsx:lb:NetworkLoadBalancer", "awsx:lb:ApplicationLoadBalancer"], (props, args, report) => {
        const v = get(props, "internal");
        if (bool(v) !== true) {
            report(`${subject(args)} internal = ${show(v ?? false)}${v === undefined ? " (default: internet-facing)" : ""}. Fix: set internal: true.`);
        }
    }),
});
