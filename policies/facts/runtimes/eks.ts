/**
 * EKS: one cluster per service (the `eks.Cluster` remote component), a
 * managed node group in the service's subnets whose Auto Scaling group is
 * attached to the PrivateLink NLB's instance target group, and the workload
 * as a Deployment behind a NodePort Service.
 */
import { EKS_UNSUPPORTED_ZONE_IDS } from "../zones";
import { IMAGE_PULL, ownRequest } from "./common";
import type { RuntimeFacts } from "./types";

export const EKS_COMPONENT = "privatelink:runtime:EksService";
/** The pulumi-eks component (remote: offline one resource, under the engine its children below). */
export const EKS_CLUSTER_COMPONENT = "eks:index:Cluster";

const EKS_SOURCE =
    "Amazon EKS User Guide, 'Deploy private clusters with limited internet access' (interface endpoints ec2, ecr.api, ecr.dkr, sts, logs, elasticloadbalancing, eks-auth for Pod Identity; the S3 gateway endpoint): https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html";

export const EKS: RuntimeFacts<"eks"> = {
    name: "eks",
    label: "EKS",
    component: EKS_COMPONENT,
    // Private EKS nodes: ec2 (VPC CNI assigns pod addresses), ecr.api/ecr.dkr + s3 (images), sts
    // (IRSA and AWS SDKs' regional STS), eks-auth (Pod Identity agent fetches pod credentials),
    // logs (node log agents), elasticloadbalancing (AWS Load Balancer Controller, if adopted).
    // autoscaling only joins this list with the cluster autoscaler, which the platform does not run.
    endpoints: { interface: ["ec2", "ecr.api", "ecr.dkr", "sts", "eks-auth", "logs", "elasticloadbalancing"], gateway: ["s3"] },
    startup: [
        { service: "ec2", kind: "interface", purpose: "VPC CNI: pod addresses (ec2:AssignPrivateIpAddresses)", request: ownRequest("ec2:AssignPrivateIpAddresses"), source: EKS_SOURCE },
        ...IMAGE_PULL.map((d) => ({ ...d, source: `${d.source}; ${EKS_SOURCE}` })),
        { service: "sts", kind: "interface", purpose: "regional STS for AWS SDKs (sts:GetCallerIdentity)", request: ownRequest("sts:GetCallerIdentity"), source: EKS_SOURCE },
        { service: "logs", kind: "interface", purpose: "node and pod log agents (logs:PutLogEvents)", request: ownRequest("logs:PutLogEvents", "arn:aws:logs:{region}:{account}:log-group:*"), source: EKS_SOURCE },
        {
            service: "elasticloadbalancing",
            kind: "interface",
            purpose: "load balancer registration (elasticloadbalancing:DescribeTargetGroups)",
            request: ownRequest("elasticloadbalancing:DescribeTargetGroups"),
            source: EKS_SOURCE,
        },
        {
            service: "eks-auth",
            kind: "interface",
            purpose: "Pod Identity agent: pod credentials (eks-auth:AssumeRoleForPodIdentity)",
            request: ownRequest("eks-auth:AssumeRoleForPodIdentity", "arn:aws:eks:{region}:{account}:cluster/*"),
            source: `${EKS_SOURCE}; Amazon EKS User Guide, 'Learn how EKS Pod Identity grants pods access to AWS services' (the agent calls the eks-auth API)`,
        },
    ],
    // The nodes pull images, run the CNI and the Pod Identity agent.
    startupFrom: "aws:eks/nodeGroup:NodeGroup",
    reachesApiServer: true,
    types: [
        { type: "aws:cloudwatch/logGroup:LogGroup", isolation: "The control plane's log group, created before EKS would create it unencrypted and kept forever." },
        { type: EKS_CLUSTER_COMPONENT, isolation: "Private API, access entries only (eks-* rules); a remote component: see its children." },
        { type: "aws:eks/accessEntry:AccessEntry", isolation: "Who may use the cluster's API." },
        { type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", isolation: "What an access entry may do in the cluster." },
        { type: "aws:iam/role:Role", isolation: "The node role (kubelet, VPC CNI, its own images) and the pod role (the application), never shared (iam-* rules, iam-role-per-service)." },
        { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", isolation: "AWS-managed node policies (iam-no-admin-managed-policies)." },
        { type: "aws:iam/rolePolicy:RolePolicy", isolation: "Denies the nodes every other repository of the account (iam-no-wildcard-admin-statements)." },
        { type: "aws:ec2/securityGroup:SecurityGroup", isolation: "The NodePort from the VPC's own CIDR (the NLB's nodes) only (security-group-no-public-ingress)." },
        { type: "aws:ec2/launchTemplate:LaunchTemplate", isolation: "IMDSv2 with one hop, encrypted volumes (ec2-* rules)." },
        { type: "aws:eks/nodeGroup:NodeGroup", isolation: "Nodes in the service's subnets (workload-in-owned-vpc)." },
        { type: "aws:autoscaling/attachment:Attachment", isolation: "Registers the node group with the service's own target group." },
        { type: "aws:eks/addon:Addon", isolation: "Managed add-ons inside the cluster." },
        { type: "aws:eks/podIdentityAssociation:PodIdentityAssociation", isolation: "The workload's role for its service account." },
        { type: "pulumi:providers:kubernetes", isolation: "Talks to the service's own cluster." },
        { type: "kubernetes:core/v1:Namespace", isolation: "The workload's namespace." },
        { type: "kubernetes:core/v1:ServiceAccount", isolation: "The workload's identity (Pod Identity)." },
        { type: "kubernetes:core/v1:Service", isolation: "A NodePort behind the internal NLB, never a LoadBalancer service." },
        { type: "kubernetes:apps/v1:Deployment", isolation: "The workload's pods." },
        { type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", isolation: "Scaling of the workload; no network reach." },
    ],
    /**
     * pulumi/pulumi-eks at tag v4.3.0 (commit 0f5a544711cbcace44720e2d70f6702925a2ea4b,
     * = @pulumi/eks 4.3.0). `created` follows the arguments the platform passes
     * (components/runtimes/eks/control-plane.ts); test/platform/allowed-types.test.ts holds the platform to
     * those arguments, so turning one on fails until this list says what the new children mean.
     */
    remoteChildren: [
        { type: "eks:index:ServiceRole", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:529", condition: "no serviceRole given", created: true, isolation: "The EKS service role (remote child)." },
        { type: "aws:iam/role:Role", parent: "eks:index:ServiceRole", source: "nodejs/eks/servicerole.ts@v4.3.0:89", created: true, isolation: "The cluster's service role, trusted by eks.amazonaws.com (remote child; iam-* rules)." },
        { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", parent: "eks:index:ServiceRole", source: "nodejs/eks/servicerole.ts@v4.3.0:102", condition: "one per managed policy (AmazonEKSClusterPolicy)", created: true, isolation: "AmazonEKSClusterPolicy on the service role (remote child; iam-no-admin-managed-policies)." },
        { type: "aws:eks/cluster:Cluster", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:687", created: true, isolation: "The cluster itself (remote child; eks-* rules, workload-in-owned-vpc)." },
        { type: "aws:eks/addon:Addon", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:779", condition: "kube-proxy add-on unless kubeProxyAddonOptions.enabled is false", created: true, isolation: "kube-proxy and VPC CNI managed add-ons (remote children)." },
        { type: "pulumi:providers:kubernetes", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:914", created: true, isolation: "The component's provider for its own cluster (remote child)." },
        { type: "eks:index:VpcCniAddon", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1095", condition: "unless useDefaultVpcCni", created: true, isolation: "The VPC CNI add-on (remote child)." },
        { type: "aws:eks/addon:Addon", parent: "eks:index:VpcCniAddon", source: "nodejs/eks/addons/cni-addon.ts@v4.3.0:297", created: true, isolation: "kube-proxy and VPC CNI managed add-ons (remote children)." },
        { type: "kubernetes:apps/v1:DaemonSetPatch", parent: "eks:index:VpcCniAddon", source: "nodejs/eks/addons/cni-addon.ts@v4.3.0:340", condition: "vpcCniOptions.securityContextPrivileged", created: false },
        { type: "aws:ec2/securityGroup:SecurityGroup", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:555", condition: "unless skipDefaultSecurityGroups (platform: true)", created: false },
        { type: "aws:ec2/securityGroupRule:SecurityGroupRule", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:572", condition: "with the default cluster security group: egress 0.0.0.0/0", created: false },
        { type: "eks:index:ServiceRole", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:948", condition: "instance role: unless skipDefaultNodeGroup (platform: true) and createInstanceRole unset", created: false },
        { type: "aws:iam/instanceProfile:InstanceProfile", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:177", condition: "with the instance role", created: false },
        { type: "kubernetes:core/v1:ConfigMap", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1010", condition: "aws-auth, when authenticationMode supports CONFIG_MAP (platform: API)", created: false },
        { type: "aws:eks/accessEntry:AccessEntry", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/authenticationMode.ts@v4.3.0:185", condition: "accessEntries given to the component (platform: its own, under EksService)", created: false },
        { type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/authenticationMode.ts@v4.3.0:197", condition: "with accessEntries", created: false },
        { type: "aws:eks/fargateProfile:FargateProfile", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1155", condition: "fargate", created: false },
        { type: "aws:eks/addon:Addon", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1212", condition: "coredns unless corednsAddonOptions.enabled is false (platform: false; it adds coredns itself)", created: false },
        { type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1255", condition: "createOidcProvider (platform: false)", created: false },
    ],
    workloads: [{ type: EKS_CLUSTER_COMPONENT }, { type: "aws:eks/cluster:Cluster" }, { type: "aws:eks/nodeGroup:NodeGroup" }],
    quotas: [
        { code: "L-1194D53C", counts: EKS_CLUSTER_COMPONENT },
        // Standard instance families; GPU (G) families count against L-DB2E81BA instead.
        { code: "L-1216C47A", counts: "aws:eks/nodeGroup:NodeGroup" },
    ],
    refusesZone: (zoneId) => {
        const z = EKS_UNSUPPORTED_ZONE_IDS.find((x) => x.zoneId === zoneId);
        return z && `EKS does not accept cluster subnets in ${zoneId} (${z.region}; source: ${z.source})`;
    },
};
