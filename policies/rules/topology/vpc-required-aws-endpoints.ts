import { UnknownValueError } from "../../lib/engine";
import { stackIndex, TAG_KIND, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { allRuntimeFacts, RuntimeName, runtimeFacts } from "../../facts/runtimes";
import { endpointsOf } from "../../facts/runtimes/common";
import { runtimesOf } from "../../lib/runtimes";
import { bool, peek, str, tag, UNKNOWN, UNKNOWN_SENTINEL } from "../../lib/values";

/** What a runtime needs in a VPC without internet gateway or NAT: the endpoints its start-up requests go through. */
function required(runtime: RuntimeName): { interface: string[]; gateway: string[] } {
    return endpointsOf(runtimeFacts(runtime).startup);
}

function needsText(): string {
    return allRuntimeFacts()
        .filter((r) => r.startup.length > 0)
        .map((r) => {
            const e = endpointsOf(r.startup);
            return `${r.label} ${[...e.interface, ...e.gateway.map((g) => `${g} gateway`)].join(", ")}`;
        })
        .join("; ");
}

export const vpcRequiredAwsEndpoints = stackRule({
    name: "vpc-required-aws-endpoints",
    description:
        `A service VPC without NAT holds the AWS-service endpoints its runtimes reach at start-up (policies/facts/runtimes): ${needsText()}.`,
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create aws.ec2.VpcEndpoint com.amazonaws.<region>.<svc> in the VPC (Interface with privateDnsEnabled and a security group admitting 443 from the VPC; s3 as Gateway on the route tables).",
    meta: {
        area: "topology",
        rationale: "Without NAT, a task cannot pull its image or ship logs unless the endpoints exist; the service would fail at first deploy.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const needs = new Map<string, Set<RuntimeName>>();
        for (const r of args.resources) {
            const rts = runtimesOf(r.type, r.props);
            if (rts.length === 0) {
                continue;
            }
            for (const vpc of idx.vpcsOf(r)) {
                const s = needs.get(vpc) ?? new Set<RuntimeName>();
                rts.forEach((x) => s.add(x));
                needs.set(vpc, s);
            }
        }
        if (needs.size === 0) {
            return;
        }
        const have = new Map<string, { iface: Set<string>; gateway: Set<string>; noDns: Set<string>; unknown: number }>();
        for (const ep of idx.ofType(TYPES.vpcEndpoint)) {
            if (idx.propDeps(ep, "serviceName").some((d) => d.type === TYPES.endpointService) || tag(ep.props, TAG_KIND) === "mesh") {
                continue; // a PrivateLink edge to another service, not an AWS API
            }
            const sn = peek(ep.props, "serviceName");
            const type = peek(ep.props, "vpcEndpointType");
            for (const vpc of idx.vpcsOf(ep)) {
                const h = have.get(vpc) ?? { iface: new Set<string>(), gateway: new Set<string>(), noDns: new Set<string>(), unknown: 0 };
                have.set(vpc, h);
                if (sn === UNKNOWN || type === UNKNOWN) {
                    h.unknown++;
                    continue;
                }
                const m = /^com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(str(sn) ?? "");
                if (!m || m[1].startsWith("vpce.")) {
                    continue;
                }
                if (str(type) === "Interface" && bool(peek(ep.props, "privateDnsEnabled")) === false) {
                    h.noDns.add(m[1]); // without private DNS the SDKs resolve the public name, which has no route
                    continue;
                }
                (str(type) === "Interface" ? h.iface : h.gateway).add(m[1]);
                if (str(type) === undefined) {
                    h.gateway.add(m[1]); // provider default is Gateway
                }
            }
        }
        for (const [vpc, runtimes] of needs) {
            const natInVpc = idx.ofType(TYPES.natGateway).some((n) => idx.vpcsOf(n).has(vpc));
            if (natInVpc) {
                continue;
            }
            const h = have.get(vpc) ?? { iface: new Set<string>(), gateway: new Set<string>(), noDns: new Set<string>(), unknown: 0 };
            const missing: string[] = [];
            for (const rt of runtimes) {
                for (const s of required(rt).interface) {
                    const what = h.noDns.has(s) ? `${s} (Interface, has privateDnsEnabled false)` : `${s} (Interface)`;
                    if (!h.iface.has(s) && !missing.includes(what)) {
                        missing.push(what);
                    }
                }
                for (const s of required(rt).gateway) {
                    if (!h.gateway.has(s) && !h.iface.has(s) && !missing.includes(`${s} (Gateway)`)) {
                        missing.push(`${s} (Gateway)`);
                    }
                }
            }
            if (missing.length === 0) {
                continue;
            }
            if (h.unknown > 0) {
                // Some endpoints' service names are unknown until `up`: the engine's preview advisory is the honest answer.
                throw new UnknownValueError(UNKNOWN_SENTINEL, ["serviceName"]);
            }
            report(
                `VPC ${vpc} runs ${[...runtimes].join(", ")} without NAT but lacks the AWS-service endpoint(s) ${missing.join(", ")}. ` +
                    `Fix: add aws.ec2.VpcEndpoint com.amazonaws.<region>.<svc> for each (Interface with privateDnsEnabled; s3 as Gateway).`,
                vpc,
            );
        }
    },
});
