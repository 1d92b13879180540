import { PolicyResource } from "@pulumi/policy";
import { ecrLayerAccess } from "../../lib/ecr-layer-access";
import { ecrLayerBucketArn, parseAwsServiceName, partitionOfRegion } from "../../facts/endpoint-policy-support";
import { UnknownValueError } from "../../lib/engine";
import { label, StackIndex, stackIndex, T, TAG_KIND } from "../../lib/graph";
import { parsePolicyDocument } from "../../lib/policydoc";
import { stackRule } from "../../lib/rule";
import { asArray, peek, str, tag, UNKNOWN, UNKNOWN_SENTINEL } from "../../lib/values";

/** Resources that make a VPC pull container images (ECS tasks, EKS nodes, ECS/EKS hosts). */
const PULLERS = new Set<string>([
    T.ecsService,
    "awsx:ecs:FargateService",
    "awsx:ecs:EC2Service",
    "aws:eks/nodeGroup:NodeGroup",
    T.eksCluster,
    T.eksComponent,
    T.asg,
    "aws:ec2/launchTemplate:LaunchTemplate",
]);
const ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const ENDPOINT_ROUTE_TABLE_ASSOCIATION = "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation";

interface AwsEndpoint {
    ep: PolicyResource;
    service: string;
    region: string;
    type: string | undefined;
}

/** AWS-service endpoints per VPC; `unknown` counts endpoints whose service name is not known yet. */
function awsEndpointsByVpc(idx: StackIndex): { byVpc: Map<string, AwsEndpoint[]>; unknown: Set<string> } {
    const byVpc = new Map<string, AwsEndpoint[]>();
    const unknown = new Set<string>();
    for (const ep of idx.ofType(T.vpcEndpoint)) {
        if (idx.propDeps(ep, "serviceName").some((d) => d.type === T.endpointService) || tag(ep.props, TAG_KIND) === "mesh") {
            continue;
        }
        const sn = peek(ep.props, "serviceName");
        const type = peek(ep.props, "vpcEndpointType");
        for (const vpc of idx.vpcsOf(ep)) {
            if (sn === UNKNOWN || type === UNKNOWN) {
                unknown.add(vpc);
                continue;
            }
            const parsed = parseAwsServiceName(str(sn) ?? "");
            if (!parsed) {
                continue;
            }
            const list = byVpc.get(vpc) ?? [];
            list.push({ ep, service: parsed.service, region: parsed.region, type: str(type) ?? "Gateway" });
            byVpc.set(vpc, list);
        }
    }
    return { byVpc, unknown };
}

/** URNs of the route tables an S3 gateway endpoint is attached to, and whether a literal id list is set. */
function routeTablesOf(idx: StackIndex, ep: PolicyResource): { urns: Set<string>; literal: boolean | typeof UNKNOWN } {
    const urns = new Set(idx.propDeps(ep, "routeTableIds").map((r) => r.urn));
    for (const a of idx.referencing(ep.urn, "vpcEndpointId")) {
        if (a.type === ENDPOINT_ROUTE_TABLE_ASSOCIATION) {
            idx.propDeps(a, "routeTableId").forEach((r) => urns.add(r.urn));
            urns.add(a.urn); // attached, even if the table is not a resource of this stack
        }
    }
    const raw = peek(ep.props, "routeTableIds");
    return { urns, literal: raw === UNKNOWN ? UNKNOWN : asArray(raw).length > 0 };
}

export const s3GatewayAdmitsEcrLayers = stackRule({
    name: "s3-gateway-admits-ecr-layers",
    description:
        "A VPC whose runtimes pull images from ECR without NAT has an S3 gateway endpoint on its route tables, and that endpoint's policy lets any principal s3:GetObject on ECR's layer bucket prod-<region>-starport-layer-bucket.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Give the VPC an aws.ec2.VpcEndpoint com.amazonaws.<region>.s3 (Gateway) with routeTableIds = the workload subnets' route tables, and in its policy a statement " +
        "{ Effect: Allow, Principal: \"*\", Action: \"s3:GetObject\", Resource: \"arn:<partition>:s3:::prod-<region>-starport-layer-bucket/*\" } with no aws:PrincipalAccount/aws:ResourceAccount/organization condition " +
        "(ECR user guide, \"Minimum Amazon S3 bucket permissions for Amazon ECR\", https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms), and no Deny that covers it.",
    meta: {
        area: "deployability",
        rationale:
            "ECR serves image layers from the AWS-owned bucket prod-<region>-starport-layer-bucket through a presigned URL signed by an ECR account, not by the caller " +
            "(ECR user guide, \"Minimum Amazon S3 bucket permissions for Amazon ECR\"; aws-samples/data-perimeter-policy-examples vpc_endpoint_policies/README.md, \"Creation of containers with Amazon ECR images\"). " +
            "An S3 endpoint policy that scopes that request to your own account denies every layer: Fargate/ECS tasks stop with CannotPullContainerError, EKS nodes stay NotReady. " +
            "Without NAT, the S3 gateway endpoint is the only path to the layers (ECS developer guide and ECR user guide: ecr.api, ecr.dkr and the S3 gateway endpoint).",
        afterUp: "endpoint service names and policies built from outputs (region, account) are unknown in preview.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const { byVpc, unknown } = awsEndpointsByVpc(idx);
        const pullers = new Map<string, string>();
        for (const r of args.resources) {
            if (PULLERS.has(r.type)) {
                for (const vpc of idx.vpcsOf(r)) {
                    pullers.set(vpc, pullers.get(vpc) ?? label(r));
                }
            }
        }
        for (const [vpc, eps] of byVpc) {
            const dkr = eps.find((e) => e.service === "ecr.dkr");
            if (dkr && !pullers.has(vpc)) {
                pullers.set(vpc, `${label(dkr.ep)} (an ecr.dkr endpoint: image pulls)`);
            }
        }
        let undecidable: string | undefined;
        for (const [vpc, why] of pullers) {
            const s3 = (byVpc.get(vpc) ?? []).filter((e) => e.service === "s3");
            if (!s3.some((e) => e.type === "Gateway")) {
                if (idx.ofType(T.natGateway).some((n) => idx.vpcsOf(n).has(vpc))) {
                    continue; // layers reach S3 through NAT
                }
                if (unknown.has(vpc)) {
                    undecidable = undecidable ?? "serviceName";
                    continue;
                }
                const iface = s3.length > 0 ? ` (only an S3 interface endpoint, ${s3[0].ep.name}; ECR documents the gateway endpoint for layer downloads)` : "";
                report(
                    `VPC ${vpc} pulls images from ECR (${why}) but has no S3 gateway endpoint${iface} and no NAT: ECR serves image layers from S3, so no image can be pulled. ` +
                        `Fix: add an aws.ec2.VpcEndpoint com.amazonaws.<region>.s3 of type Gateway on the workload subnets' route tables.`,
                    vpc,
                );
                continue;
            }
            for (const e of s3) {
                if (e.type === "Gateway") {
                    const rts = routeTablesOf(idx, e.ep);
                    if (rts.urns.size === 0 && rts.literal === UNKNOWN) {
                        undecidable = undecidable ?? "routeTableIds";
                    } else if (rts.urns.size === 0 && !rts.literal) {
                        report(
                            `${label(e.ep)} (S3 gateway endpoint of VPC ${vpc}) is on no route table, so no subnet routes to it and image layers cannot be fetched. ` +
                                `Fix: set routeTableIds to the workload subnets' route tables (or add aws.ec2.VpcEndpointRouteTableAssociation).`,
                            e.ep.urn,
                        );
                    } else if (rts.urns.size > 0) {
                        for (const a of idx.ofType(ROUTE_TABLE_ASSOCIATION)) {
                            const subnet = idx.propDeps(a, "subnetId")[0];
                            const table = idx.propDeps(a, "routeTableId")[0];
                            if (subnet && table && idx.vpcsOf(subnet).has(vpc) && !rts.urns.has(table.urn)) {
                                report(
                                    `${label(subnet)} in VPC ${vpc} uses route table ${table.name}, which ${e.ep.name} (the S3 gateway endpoint) is not attached to: workloads there cannot reach the image layers. ` +
                                        `Fix: add ${table.name} to the endpoint's routeTableIds.`,
                                    subnet.urn,
                                );
                            }
                        }
                    }
                }
                const policy = peek(e.ep.props, "policy");
                if (policy === UNKNOWN) {
                    undecidable = undecidable ?? "policy";
                    continue;
                }
                let doc;
                try {
                    doc = parsePolicyDocument(policy);
                } catch (err) {
                    if (err instanceof UnknownValueError) {
                        undecidable = undecidable ?? "policy";
                        continue;
                    }
                    throw err;
                }
                const partition = partitionOfRegion(e.region);
                const bucket = ecrLayerBucketArn(partition, e.region);
                if (doc.error) {
                    report(`${label(e.ep)} policy ${doc.error}. Fix: pass a valid JSON policy document that allows s3:GetObject on ${bucket}/*.`, e.ep.urn);
                    continue;
                }
                const access = ecrLayerAccess(doc, partition, e.region);
                if (access.verdict === "allowed") {
                    continue;
                }
                report(
                    `${label(e.ep)} (S3 endpoint of VPC ${vpc}, which pulls images: ${why}) ${access.verdict === "denied" ? "denies" : "cannot be shown to admit"} ECR's layer download ` +
                        `(s3:GetObject on ${bucket}/*, presigned by an ECR account): ${access.why}. ` +
                        `Fix: add the statement { "Sid": "EcrImageLayers", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "${bucket}/*" } with no account or organization condition, and no Deny covering it.`,
                    e.ep.urn,
                );
            }
        }
        if (undecidable) {
            throw new UnknownValueError(UNKNOWN_SENTINEL, [undecidable]);
        }
    },
});
