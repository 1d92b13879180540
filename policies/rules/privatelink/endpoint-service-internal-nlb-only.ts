import { label, LOAD_BALANCER_TYPES, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { asArray, bool, peek, show, str, UNKNOWN } from "../../lib/values";

const NLB_COMPONENTS = new Set(["awsx:lb:NetworkLoadBalancer"]);

export const endpointServiceInternalNlbOnly = stackRule({
    name: "endpoint-service-internal-nlb-only",
    description: "Every endpoint service is backed only by internal network load balancers of this stack (no gateway load balancers).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Back the endpoint service with the service's own NLB (loadBalancerType network, internal: true), referenced as <nlb>.arn so the dependency is visible.",
    meta: {
        area: "privatelink",
        rationale: "An internet-facing NLB behind an endpoint service is a second, public door to the same service; a foreign ARN cannot be checked at all.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        for (const svc of idx.ofType("aws:ec2/vpcEndpointService:VpcEndpointService")) {
            const gwlb = peek(svc.props, "gatewayLoadBalancerArns");
            if (gwlb !== UNKNOWN && asArray(gwlb).length > 0) {
                report(`${label(svc)} sets gatewayLoadBalancerArns = ${show(gwlb)}. Fix: back it with an internal NLB through networkLoadBalancerArns.`, svc.urn);
            }
            const lbs = idx.propDeps(svc, "networkLoadBalancerArns");
            if (lbs.length === 0) {
                const literal = peek(svc.props, "networkLoadBalancerArns");
                report(
                    `${label(svc)} networkLoadBalancerArns = ${literal === UNKNOWN ? "<unknown>" : show(literal ?? null)} does not come from a load balancer of this stack, so its NLB cannot be checked. ` +
                        `Fix: pass networkLoadBalancerArns: [<the service's internal NLB>.arn].`,
                    svc.urn,
                );
                continue;
            }
            for (const lb of lbs) {
                if (!LOAD_BALANCER_TYPES.includes(lb.type) && !NLB_COMPONENTS.has(lb.type)) {
                    report(`${label(svc)} networkLoadBalancerArns depends on ${label(lb)}, which is not a load balancer. Fix: pass the NLB's arn.`, svc.urn);
                    continue;
                }
                const kind = peek(lb.props, "loadBalancerType");
                if (!NLB_COMPONENTS.has(lb.type) && kind !== UNKNOWN && str(kind) !== "network") {
                    report(`${label(svc)} is backed by ${label(lb)} with loadBalancerType = ${show(kind ?? "application (default)")}. Fix: use an NLB (loadBalancerType: "network").`, svc.urn);
                }
                const internal = peek(lb.props, "internal");
                if (internal !== UNKNOWN && bool(internal) !== true) {
                    report(`${label(svc)} is backed by ${label(lb)} with internal = ${show(internal ?? false)} (internet-facing). Fix: set internal: true on the NLB.`, svc.urn);
                }
            }
        }
    },
});
