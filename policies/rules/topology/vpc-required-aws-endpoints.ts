import { PolicyResource } from "@pulumi/policy";
import { UnknownValueError } from "../../lib/engine";
import { stackIndex, TAG_KIND, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { asArray, bool, peek, str, tag, UNKNOWN, UNKNOWN_SENTINEL } from "../../lib/values";

type Runtime = "fargate" | "ecs-ec2" | "eks" | "lambda";

/** What a runtime needs in a VPC without internet gateway or NAT (names after `com.amazonaws.<region>.`). */
export const REQUIRED_ENDPOINTS: Record<Runtime, { interface: string[]; gateway: string[] }> = {
    fargate: { interface: ["ecr.api", "ecr.dkr", "logs"], gateway: ["s3"] },
    "ecs-ec2": { interface: ["ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "logs"], gateway: ["s3"] },
    eks: { interface: ["ec2", "ecr.api", "ecr.dkr", "sts", "logs", "elasticloadbalancing"], gateway: ["s3"] },
    lambda: { interface: [], gateway: [] },
};

function runtimesOf(r: PolicyResource): Runtime[] {
    switch (r.type) {
        case TYPES.ecsService: {
            const lt = peek(r.props, "launchType");
            if (lt === UNKNOWN) {
                return [];
            }
            if (str(lt) === "FARGATE") {
                return ["fargate"];
            }
            if (str(lt) === "EC2" || str(lt) === "EXTERNAL") {
                return ["ecs-ec2"];
            }
            const cps = peek(r.props, "capacityProviderStrategies");
            const names = cps === UNKNOWN ? [] : asArray(cps).map((c) => str(peek(c, "capacityProvider")));
            if (names.length === 0) {
                return ["ecs-ec2"]; // ECS default launch type is EC2
            }
            return names.map((n) => (n === "FARGATE" || n === "FARGATE_SPOT" ? "fargate" : "ecs-ec2"));
        }
        case "awsx:ecs:FargateService":
            return ["fargate"];
        case "awsx:ecs:EC2Service":
            return ["ecs-ec2"];
        case TYPES.eksCluster:
        case TYPES.eksComponent:
        case "aws:eks/nodeGroup:NodeGroup":
            return ["eks"];
        case TYPES.lambda:
            return ["lambda"];
        default:
            return [];
    }
}

export const vpcRequiredAwsEndpoints = stackRule({
    name: "vpc-required-aws-endpoints",
    description:
        "A service VPC without NAT holds the AWS-service endpoints its runtimes need: Fargate ecr.api, ecr.dkr, logs + s3 gateway; ECS on EC2 adds ecs, ecs-agent, ecs-telemetry; EKS ec2, ecr.api, ecr.dkr, sts, logs, elasticloadbalancing + s3.",
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
        const needs = new Map<string, Set<Runtime>>();
        for (const r of args.resources) {
            const rts = runtimesOf(r);
            if (rts.length === 0) {
                continue;
            }
            for (const vpc of idx.vpcsOf(r)) {
                const s = needs.get(vpc) ?? new Set<Runtime>();
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
                for (const s of REQUIRED_ENDPOINTS[rt].interface) {
                    const what = h.noDns.has(s) ? `${s} (Interface, has privateDnsEnabled false)` : `${s} (Interface)`;
                    if (!h.iface.has(s) && !missing.includes(what)) {
                        missing.push(what);
                    }
                }
                for (const s of REQUIRED_ENDPOINTS[rt].gateway) {
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
