import { isUnknown, stackIndex, WORKLOAD_TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";

export const vpcSingleTenant = stackRule({
    name: "vpc-single-tenant",
    description: "No VPC hosts the workloads of two microservices.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Give each microservice its own VPC; connect them through an endpoint service and interface endpoints.",
    meta: {
        area: "topology",
        rationale: "Two services in one VPC share a network: security groups become the only boundary and PrivateLink's gate is bypassed.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const tenants = new Map<string, Map<string, string[]>>();
        for (const r of args.resources) {
            if (!WORKLOAD_TYPES.has(r.type)) {
                continue;
            }
            const svc = idx.serviceOf(r);
            if (svc === undefined || isUnknown(svc)) {
                continue;
            }
            for (const vpc of idx.vpcsOf(r)) {
                let m = tenants.get(vpc);
                if (!m) {
                    m = new Map();
                    tenants.set(vpc, m);
                }
                const list = m.get(svc) ?? [];
                list.push(r.name);
                m.set(svc, list);
            }
        }
        for (const [vpc, m] of tenants) {
            if (m.size > 1) {
                const detail = [...m.entries()].map(([s, names]) => `"${s}" (${names.join(", ")})`).join(" and ");
                report(`VPC ${vpc} hosts workloads of ${m.size} microservices: ${detail}. Fix: move each service's workloads into its own VPC.`, vpc);
            }
        }
    },
});
