import * as assert from "assert";
import { nodePortFor } from "../../components/runtimes/eks/binding";
import { accessEntryName, endpointAccess } from "../../components/runtimes/eks/control-plane";
import { podResources } from "../../components/runtimes/eks/kubernetes";
import { amiTypeFor, nodeGroupScaling } from "../../components/runtimes/eks/nodes";
import { validateCatalog } from "../../components/catalog";
import type { ResourceRecord } from "../../tools/preview";
import { catalogConfig, fargate, Graph, parse, plan } from "../helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

const ADMIN = "arn:aws:iam::111111111111:role/platform-admin";
const VIEWER = "arn:aws:iam::111111111111:role/auditor";
const CI_CIDR = "34.120.7.0/24";

function eksService(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, runtime: "eks", port: 8081, image: "1.0.0", instanceTypes: ["m7i.large", "m6i.large"], ...extra };
}

const config = catalogConfig(
    [
        fargate("web", { consumes: ["orders"] }),
        eksService("orders", {
            consumes: ["payments"],
            cpu: 512,
            memory: 1024,
            capacity: { min: 2, max: 4 },
            scaling: { min: 2, max: 6, cpuTarget: 50 },
            environment: { LOG_LEVEL: "info" },
        }),
        fargate("payments", { port: 9443 }),
    ],
    { availabilityZones: 3, logRetentionDays: 90, eks: { version: "1.32", adminRoleArns: [ADMIN], viewRoleArns: [VIEWER] } },
);

interface Statement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}
const statements = (doc: unknown) => parse<{ Statement: Statement[] }>(doc).Statement;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const names = (rs: ResourceRecord[]) => rs.map(r => r.name).sort();

describe("EKS runtime, offline", function () {
    let g: Graph;
    let cluster: ResourceRecord;
    before(async () => {
        const result = await plan(config);
        assert.deepStrictEqual(result.errors, undefined);
        g = new Graph(result);
        cluster = g.one("eks:index:Cluster", "orders-eks");
    });

    describe("cluster", () => {
        it("is one eks.Cluster per service, in its VPC's private subnets, with no default node group or public IPs", () => {
            const component = g.one("privatelink:runtime:EksService", "orders");
            assert.strictEqual(g.ofType("eks:index:Cluster").length, 1);
            assert.strictEqual(cluster.parent, component.urn);
            assert.strictEqual(cluster.inputs.name, "test-orders");
            assert.deepStrictEqual(names(g.deps(cluster, "vpcId")), ["orders-vpc"]);
            const subnets = g.deps(cluster, "privateSubnetIds");
            assert.deepStrictEqual(names(subnets), ["orders-private-a", "orders-private-b", "orders-private-c"]);
            for (const s of subnets) {
                assert.strictEqual(s.inputs.mapPublicIpOnLaunch, false);
            }
            assert.strictEqual(cluster.inputs.publicSubnetIds, undefined);
            assert.strictEqual(cluster.inputs.subnetIds, undefined);
            assert.strictEqual(cluster.inputs.nodeAssociatePublicIpAddress, false);
            assert.strictEqual(cluster.inputs.skipDefaultNodeGroup, true);
            assert.strictEqual(cluster.inputs.skipDefaultSecurityGroups, true);
            assert.strictEqual(cluster.inputs.version, "1.32");
        });

        it("authenticates through access entries only: admins and viewers, no aws-auth ConfigMap", () => {
            assert.strictEqual(cluster.inputs.authenticationMode, "API");
            assert.strictEqual(cluster.inputs.roleMappings, undefined);
            assert.strictEqual(cluster.inputs.userMappings, undefined);
            assert.strictEqual(g.ofType("kubernetes:core/v1:ConfigMap").length, 0);
            const clusterName = (cluster.outputs.eksCluster as { name: string }).name;
            const byPrincipal = new Map<string, string[]>();
            for (const a of g.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")) {
                assert.strictEqual(a.inputs.clusterName, clusterName);
                assert.deepStrictEqual(g.deps(a, "clusterName").map(r => r.urn), [cluster.urn]);
                assert.deepStrictEqual(a.inputs.accessScope, { type: "cluster" });
                const [entry] = g.deps(a, "principalArn");
                assert.strictEqual(entry.type, "aws:eks/accessEntry:AccessEntry");
                assert.strictEqual(entry.inputs.type, "STANDARD");
                byPrincipal.set(String(a.inputs.principalArn), [...(byPrincipal.get(String(a.inputs.principalArn)) ?? []), String(a.inputs.policyArn)]);
            }
            assert.deepStrictEqual(Object.fromEntries(byPrincipal), {
                [ADMIN]: ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"],
                [VIEWER]: ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"],
            });
        });

        it("has a private API endpoint only when no public CIDR is listed", () => {
            assert.strictEqual(cluster.inputs.endpointPrivateAccess, true);
            assert.strictEqual(cluster.inputs.endpointPublicAccess, false);
            assert.strictEqual(cluster.inputs.publicAccessCidrs, undefined);
        });

        it("sends every control-plane log to a retained, encrypted log group made before the cluster", () => {
            assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
            const group = g.one("aws:cloudwatch/logGroup:LogGroup", "orders-control-plane");
            assert.strictEqual(group.inputs.name, "/aws/eks/test-orders/cluster");
            assert.strictEqual(group.inputs.retentionInDays, 90);
            assert.deepStrictEqual(names(g.deps(group, "kmsKeyId")), ["platform-key"]);
            assert.ok(cluster.dependencies.includes(group.urn), "the cluster does not wait for its log group");
        });

        it("encrypts Kubernetes secrets with the platform key", () => {
            const [key] = g.deps(cluster, "encryptionConfigKeyArn");
            assert.strictEqual(key.type, "aws:kms/key:Key");
            assert.strictEqual(cluster.inputs.encryptionConfigKeyArn, key.outputs.arn);
        });

        it("opens the public endpoint to exactly the listed CIDRs", async () => {
            const open = new Graph(await plan(catalogConfig([eksService("orders")], { eks: { publicAccessCidrs: [CI_CIDR] } })));
            const c = open.one("eks:index:Cluster", "orders-eks");
            assert.strictEqual(c.inputs.endpointPrivateAccess, true);
            assert.strictEqual(c.inputs.endpointPublicAccess, true);
            assert.deepStrictEqual(c.inputs.publicAccessCidrs, [CI_CIDR]);
            assert.strictEqual(c.inputs.version, "1.35", "platform.eks.version default");
            assert.strictEqual(open.ofType("aws:eks/accessEntry:AccessEntry").length, 0);
        });
    });

    describe("nodes", () => {
        it("run as a managed node group in the private subnets with the catalog's instance types and capacity", () => {
            const ng = g.one("aws:eks/nodeGroup:NodeGroup", "orders-nodes");
            assert.deepStrictEqual(g.deps(ng, "clusterName").map(r => r.urn), [cluster.urn]);
            assert.deepStrictEqual(names(g.deps(ng, "subnetIds")), ["orders-private-a", "orders-private-b", "orders-private-c"]);
            assert.deepStrictEqual(ng.inputs.instanceTypes, ["m7i.large", "m6i.large"]);
            assert.strictEqual(ng.inputs.amiType, "AL2023_x86_64_STANDARD");
            assert.deepStrictEqual(ng.inputs.scalingConfig, { minSize: 2, maxSize: 4, desiredSize: 2 });
            assert.deepStrictEqual(ng.options.ignoreChanges, ["scalingConfig.desiredSize"]);
            assert.strictEqual(ng.inputs.remoteAccess, undefined, "no SSH access");
        });

        it("are created after, and deleted before, every policy of their role (nodes join and drain only with them)", () => {
            const ng = g.one("aws:eks/nodeGroup:NodeGroup", "orders-nodes");
            const role = g.one("aws:iam/role:Role", "orders-nodes");
            const policies = [
                ...g.dependents(role, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "role"),
                ...g.dependents(role, "aws:iam/rolePolicy:RolePolicy", "role"),
            ];
            assert.strictEqual(policies.length, 4, "three managed policies and the own-images guard");
            for (const p of policies) {
                assert.ok(ng.dependencies.includes(p.urn), `the node group waits for ${p.name}`);
            }
        });

        it("boot from a launch template: IMDSv2 with hop limit 1, encrypted volumes, cluster + workload + NodePort groups", () => {
            const ng = g.one("aws:eks/nodeGroup:NodeGroup", "orders-nodes");
            const [lt] = g.deps(ng, "launchTemplate");
            assert.strictEqual(lt.type, "aws:ec2/launchTemplate:LaunchTemplate");
            assert.deepStrictEqual(lt.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
            for (const b of lt.inputs.blockDeviceMappings as { ebs: { encrypted: string } }[]) {
                assert.strictEqual(b.ebs.encrypted, "true");
            }
            assert.strictEqual(lt.inputs.networkInterfaces, undefined);
            const groups = lt.inputs.vpcSecurityGroupIds as string[];
            assert.strictEqual(groups[0], cluster.outputs.clusterSecurityGroupId, "the cluster security group");
            assert.deepStrictEqual(names(g.deps(lt, "vpcSecurityGroupIds").filter(r => r.type === "aws:ec2/securityGroup:SecurityGroup")),
                ["orders-nodeport", "orders-workload"]);
            const nodePort = g.one("aws:ec2/securityGroup:SecurityGroup", "orders-nodeport");
            assert.deepStrictEqual(
                (nodePort.inputs.ingress as { fromPort: number; toPort: number; cidrBlocks: string[] }[]).map(i => [i.fromPort, i.toPort, i.cidrBlocks]),
                [[30081, 30081, ["10.0.0.0/16"]]],
            );
            assert.deepStrictEqual(nodePort.inputs.egress, []);
        });

        it("have a role with only the AWS-managed node policies, pulling only this service's images from this account", () => {
            const role = g.one("aws:iam/role:Role", "orders-nodes");
            const [trust] = statements(role.inputs.assumeRolePolicy);
            assert.deepStrictEqual(trust.Principal, { Service: "ec2.amazonaws.com" });
            assert.strictEqual(trust.Action, "sts:AssumeRole");
            const attached = g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter(a => g.deps(a, "role")[0]?.urn === role.urn)
                .map(a => String(a.inputs.policyArn))
                .sort();
            assert.deepStrictEqual(attached, [
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
            ]);
            const [deny] = statements(g.one("aws:iam/rolePolicy:RolePolicy", "orders-nodes-own-images").inputs.policy);
            const repo = g.one("aws:ecr/repository:Repository", "orders-repo");
            assert.strictEqual(deny.Effect, "Deny");
            assert.deepStrictEqual(list(deny.NotResource), [repo.outputs.arn]);
            assert.deepStrictEqual(deny.Condition, { StringEquals: { "aws:ResourceAccount": ACCOUNT_ID } });
            // The node role is the pull role: the repository names it as its only reader.
            const [pull] = statements(g.one("aws:ecr/repositoryPolicy:RepositoryPolicy", "orders-pull").inputs.policy);
            assert.deepStrictEqual(pull.Principal, { AWS: role.outputs.arn });
        });

        it("get DNS, the Pod Identity agent and metrics as add-ons once the nodes exist", () => {
            const ng = g.one("aws:eks/nodeGroup:NodeGroup", "orders-nodes");
            const addons = g.ofType("aws:eks/addon:Addon");
            assert.deepStrictEqual(addons.map(a => a.inputs.addonName).sort(), ["coredns", "eks-pod-identity-agent", "metrics-server"]);
            for (const a of addons) {
                assert.deepStrictEqual(g.deps(a, "clusterName").map(r => r.urn), [cluster.urn]);
                assert.ok(a.dependencies.includes(ng.urn), `${a.name} does not wait for the nodes`);
            }
            assert.strictEqual(cluster.inputs.bootstrapSelfManagedAddons, false);
        });
    });

    it("has every AWS-service endpoint private EKS nodes need in the service VPC", () => {
        const vpc = g.one("aws:ec2/vpc:Vpc", "orders-vpc");
        const endpoints = g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
            .filter(e => g.deps(e, "vpcId")[0]?.urn === vpc.urn)
            .filter(e => (e.inputs.tags as Record<string, string>)["privatelink:endpoint-kind"] === "aws-service");
        const byService = Object.fromEntries(endpoints.map(e => [String(e.inputs.serviceName).replace("com.amazonaws.us-east-1.", ""), e]));
        assert.deepStrictEqual(Object.keys(byService).sort(), ["ec2", "ecr.api", "ecr.dkr", "eks-auth", "elasticloadbalancing", "logs", "s3", "sts"]);
        assert.strictEqual(byService.s3.inputs.vpcEndpointType, "Gateway");
        assert.strictEqual(byService["eks-auth"].inputs.privateDnsEnabled, true);
    });

    describe("pod identity", () => {
        it("trusts only EKS Pod Identity for this account and cluster, and starts with no permissions", () => {
            const role = g.one("aws:iam/role:Role", "orders-pod");
            const [trust] = statements(role.inputs.assumeRolePolicy);
            assert.deepStrictEqual(trust.Principal, { Service: "pods.eks.amazonaws.com" });
            assert.deepStrictEqual(list(trust.Action).sort(), ["sts:AssumeRole", "sts:TagSession"]);
            assert.strictEqual(trust.Condition?.StringEquals["aws:SourceAccount"], ACCOUNT_ID);
            assert.strictEqual(trust.Condition?.ArnLike["aws:SourceArn"], (cluster.outputs.eksCluster as { arn: string }).arn);
            const grants = [...g.ofType("aws:iam/rolePolicy:RolePolicy"), ...g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")]
                .filter(p => g.deps(p, "role")[0]?.urn === role.urn);
            assert.deepStrictEqual(grants, []);
        });

        it("associates the role with the workload's own ServiceAccount", () => {
            const assoc = g.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "orders-pod");
            assert.deepStrictEqual(g.deps(assoc, "roleArn").map(r => r.name), ["orders-pod"]);
            assert.deepStrictEqual(g.deps(assoc, "clusterName").map(r => r.urn), [cluster.urn]);
            const sa = g.one("kubernetes:core/v1:ServiceAccount", "orders-sa");
            const meta = sa.inputs.metadata as { name: string; namespace: string };
            assert.strictEqual(assoc.inputs.namespace, meta.namespace);
            assert.strictEqual(assoc.inputs.serviceAccount, meta.name);
            const deployment = g.one("kubernetes:apps/v1:Deployment", "orders-deployment");
            const pod = (deployment.inputs.spec as { template: { spec: { serviceAccountName: string } } }).template.spec;
            assert.strictEqual(pod.serviceAccountName, meta.name);
            assert.ok(deployment.dependencies.includes(assoc.urn), "pods start before their identity exists");
            assert.strictEqual(cluster.inputs.createOidcProvider, false, "no IRSA provider alongside Pod Identity");
        });
    });

    describe("workload", () => {
        interface Container {
            image: string;
            env: { name: string; value: string }[];
            resources: unknown;
            securityContext: Record<string, unknown>;
            ports: { containerPort: number }[];
        }
        interface DeploymentSpec {
            replicas: number;
            selector: { matchLabels: Record<string, string> };
            template: { metadata: { labels: Record<string, string> }; spec: { securityContext: Record<string, unknown>; automountServiceAccountToken: boolean; containers: Container[] } };
        }

        it("is applied through a Kubernetes provider built from the cluster's kubeconfig", () => {
            const provider = g.one("pulumi:providers:kubernetes", "orders-k8s");
            assert.deepStrictEqual(g.deps(provider, "kubeconfig").map(r => r.urn), [cluster.urn]);
            assert.strictEqual(provider.inputs.kubeconfig, cluster.outputs.kubeconfigJson);
            for (const type of ["kubernetes:core/v1:Namespace", "kubernetes:core/v1:ServiceAccount", "kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"]) {
                const [r] = g.ofType(type);
                assert.strictEqual(r.options.provider, provider.urn, type);
            }
        });

        it("runs the image non-root on a read-only root filesystem with the catalog's size, replicas and environment", () => {
            const deployment = g.one("kubernetes:apps/v1:Deployment", "orders-deployment");
            const spec = deployment.inputs.spec as DeploymentSpec;
            assert.strictEqual(spec.replicas, 2);
            assert.deepStrictEqual(deployment.options.ignoreChanges, ["spec.replicas"]);
            const [c] = spec.template.spec.containers;
            const repo = g.one("aws:ecr/repository:Repository", "orders-repo");
            assert.strictEqual(c.image, `${repo.outputs.repositoryUrl}:1.0.0`);
            assert.deepStrictEqual(c.resources, { requests: { cpu: "500m", memory: "1024Mi" }, limits: { memory: "1024Mi" } });
            assert.deepStrictEqual(c.ports.map(p => p.containerPort), [8081]);
            const dns = (g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "orders-to-payments-endpoint").outputs.dnsEntries as { dnsName: string }[])[0].dnsName;
            assert.deepStrictEqual(c.env, [{ name: "LOG_LEVEL", value: "info" }, { name: "PAYMENTS_URL", value: `http://${dns}:9443` }]);
            assert.strictEqual(spec.template.spec.securityContext.runAsNonRoot, true);
            assert.ok(Number(spec.template.spec.securityContext.runAsUser) > 0);
            assert.strictEqual(spec.template.spec.automountServiceAccountToken, false);
            assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
            assert.strictEqual(c.securityContext.allowPrivilegeEscalation, false);
            assert.strictEqual(c.securityContext.privileged, false);
            assert.deepStrictEqual(c.securityContext.capabilities, { drop: ["ALL"] });
            const ns = g.one("kubernetes:core/v1:Namespace", "orders-namespace");
            assert.strictEqual((ns.inputs.metadata as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"], "restricted");
        });

        it("scales pods on CPU between the catalog's bounds", () => {
            const hpa = g.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "orders-hpa");
            const spec = hpa.inputs.spec as { minReplicas: number; maxReplicas: number; scaleTargetRef: { kind: string; name: string }; metrics: { resource: { target: { averageUtilization: number } } }[] };
            assert.strictEqual(spec.minReplicas, 2);
            assert.strictEqual(spec.maxReplicas, 6);
            assert.deepStrictEqual(spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "orders" });
            assert.strictEqual(spec.metrics[0].resource.target.averageUtilization, 50);
        });
    });

    it("is reachable along consumer endpoint → endpoint service → NLB → instance target group → ASG attachment → node group → NodePort Service → Deployment", () => {
        // web's interface endpoint to orders' endpoint service
        const endpoint = g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "web-to-orders-endpoint");
        assert.deepStrictEqual(names(g.deps(endpoint, "vpcId")), ["web-vpc"]);
        const [service] = g.deps(endpoint, "serviceName");
        assert.strictEqual(service.name, "orders-endpoint-service");
        // endpoint service → internal NLB
        const [nlb] = g.deps(service, "networkLoadBalancerArns");
        assert.strictEqual(nlb.name, "orders-nlb");
        assert.strictEqual(nlb.inputs.internal, true);
        // NLB → listener on the service port → target group of instances on the NodePort
        const listener = g.listenersOf(nlb)[0];
        assert.strictEqual(listener.inputs.port, 8081);
        const [tg] = g.deps(listener, "defaultActions");
        assert.strictEqual(tg.type, "aws:lb/targetGroup:TargetGroup");
        assert.strictEqual(tg.inputs.targetType, "instance");
        assert.strictEqual(tg.inputs.port, 30081);
        assert.deepStrictEqual(names(g.deps(tg, "vpcId")), ["orders-vpc"]);
        // target group ← the node group's Auto Scaling group
        const attachment = g.ofType("aws:autoscaling/attachment:Attachment").find(a => g.deps(a, "lbTargetGroupArn")[0]?.urn === tg.urn)!;
        assert.ok(attachment, "nothing registers with the target group");
        assert.strictEqual(attachment.inputs.lbTargetGroupArn, tg.outputs.arn);
        const [ng] = g.deps(attachment, "autoscalingGroupName");
        assert.strictEqual(ng.type, "aws:eks/nodeGroup:NodeGroup");
        const asg = (ng.outputs.resources as { autoscalingGroups: { name: string }[] }[])[0].autoscalingGroups[0].name;
        assert.strictEqual(attachment.inputs.autoscalingGroupName, asg);
        assert.ok(attachment.dependencies.includes(listener.urn));
        // node group → the cluster whose NodePort Service selects the Deployment's pods
        assert.deepStrictEqual(g.deps(ng, "clusterName").map(r => r.urn), [cluster.urn]);
        const svc = g.one("kubernetes:core/v1:Service", "orders-service");
        const provider = g.get(svc.options.provider!);
        assert.deepStrictEqual(g.deps(provider, "kubeconfig").map(r => r.urn), [cluster.urn]);
        assert.ok(svc.dependencies.includes(ng.urn), "the Service does not wait for the nodes");
        const svcSpec = svc.inputs.spec as { type: string; selector: Record<string, string>; ports: { port: number; targetPort: number; nodePort: number }[] };
        assert.strictEqual(svcSpec.type, "NodePort");
        assert.deepStrictEqual(svcSpec.ports.map(p => [p.port, p.targetPort, p.nodePort]), [[8081, 8081, tg.inputs.port]]);
        const deployment = g.one("kubernetes:apps/v1:Deployment", "orders-deployment");
        const depSpec = deployment.inputs.spec as { template: { metadata: { labels: Record<string, string> } } };
        for (const [k, v] of Object.entries(svcSpec.selector)) {
            assert.strictEqual(depSpec.template.metadata.labels[k], v, `selector ${k}`);
        }
        assert.strictEqual((svc.inputs.metadata as { namespace: string }).namespace, (deployment.inputs.metadata as { namespace: string }).namespace);
    });

    it("keeps the path in a preview, where ids and the ASG name are still unknown", async () => {
        const p = new Graph(await plan(config, "preview"));
        const attachment = p.one("aws:autoscaling/attachment:Attachment", "orders-nlb");
        assert.strictEqual(attachment.inputs.autoscalingGroupName, "<unknown>");
        assert.deepStrictEqual(p.deps(attachment, "autoscalingGroupName").map(r => r.name), ["orders-nodes"]);
        assert.deepStrictEqual(p.deps(attachment, "lbTargetGroupArn").map(r => r.name), ["orders-tg"]);
        const provider = p.one("pulumi:providers:kubernetes", "orders-k8s");
        assert.strictEqual(provider.id, "<unknown>");
        assert.strictEqual(p.one("kubernetes:core/v1:Service", "orders-service").options.provider, provider.urn);
    });

    it("names every child after the service", () => {
        const component = g.one("privatelink:runtime:EksService", "orders");
        for (const r of g.descendants(component)) {
            assert.ok(r.name.startsWith("orders-"), r.name);
        }
    });

    describe("bad catalog input, reported with its path", () => {
        const cases: [string, unknown[], Record<string, unknown>, string, RegExp][] = [
            ["no instanceTypes", [{ name: "orders", runtime: "eks", port: 8081, image: "1.0.0" }], {}, "services[0].instanceTypes", /is required for runtime eks/],
            ["a public API open to the internet", [eksService("orders")], { eks: { publicAccessCidrs: ["0.0.0.0/0"] } }, "platform.eks.publicAccessCidrs[0]", /whole internet/],
            ["an invalid Kubernetes version", [eksService("orders")], { eks: { version: "1.3x" } }, "platform.eks.version", /not a Kubernetes version/],
        ];
        for (const [what, services, platform, path, message] of cases) {
            it(`refuses ${what} and creates nothing`, async () => {
                const result = await plan(catalogConfig(services, platform));
                const found = (result.errors ?? []).filter(e => e.path === path);
                assert.strictEqual(found.length, 1, JSON.stringify(result.errors));
                assert.match(found[0].message, message);
                assert.strictEqual(result.resources.length, 0);
            });
        }
    });
});

describe("EKS runtime helpers", () => {
    it("derives a stable NodePort in Kubernetes' range from the service port", () => {
        assert.strictEqual(nodePortFor(8080), 30080);
        assert.strictEqual(nodePortFor(9443), 30443);
        for (const port of [1, 80, 999, 1000, 32767, 65535]) {
            const p = nodePortFor(port);
            assert.ok(p >= 30000 && p <= 32767, `${port} → ${p}`);
        }
    });

    it("never opens the public endpoint without CIDRs, nor to the world", () => {
        const base = { version: "1.33", adminRoleArns: [], viewRoleArns: [] };
        assert.deepStrictEqual(endpointAccess({ ...base, publicAccessCidrs: [] }), { endpointPrivateAccess: true, endpointPublicAccess: false });
        assert.deepStrictEqual(endpointAccess({ ...base, publicAccessCidrs: [CI_CIDR] }), { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [CI_CIDR] });
        assert.throws(() => endpointAccess({ ...base, publicAccessCidrs: ["0.0.0.0/0"] }), /whole internet/);
        assert.throws(() => endpointAccess({ ...base, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }), /the whole internet/);
    });

    it("picks the AMI type from the instance types' architecture and GPUs", () => {
        assert.strictEqual(amiTypeFor(["c7gn.xlarge", "x2gd.large"]), "AL2023_ARM_64_STANDARD");
        assert.strictEqual(amiTypeFor(["m7i.large"]), "AL2023_x86_64_STANDARD");
        assert.strictEqual(amiTypeFor(["m7g.large", "c7g.large"]), "AL2023_ARM_64_STANDARD");
        assert.strictEqual(amiTypeFor(["g5.xlarge"]), "AL2023_x86_64_NVIDIA");
        assert.throws(() => amiTypeFor(["m7g.large", "m7i.large"]), /mix arm64 and x86_64/);
    });

    it("sizes nodes and pods from the catalog", () => {
        const spec = validateCatalog({ services: [eksService("a", { capacity: { min: 0, max: 3 }, cpu: 1024, memory: 2048 })] }).services[0];
        assert.deepStrictEqual(nodeGroupScaling(spec), { minSize: 0, maxSize: 3, desiredSize: 1 });
        assert.deepStrictEqual(podResources(spec), { requests: { cpu: "1000m", memory: "2048Mi" }, limits: { memory: "2048Mi" } });
        const defaults = validateCatalog({ services: [eksService("a")] }).services[0];
        assert.deepStrictEqual(nodeGroupScaling(defaults), { minSize: 1, maxSize: 2, desiredSize: 1 });
        assert.deepStrictEqual(podResources(defaults).requests, { cpu: "250m", memory: "512Mi" });
    });

    it("names access entries after the principal, not its position", () => {
        assert.strictEqual(accessEntryName("arn:aws:iam::123456789012:role/ops/Admin"), "123456789012-role-ops-admin");
    });
});
