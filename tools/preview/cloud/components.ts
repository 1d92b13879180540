/**
 * Remote (multi-language) components in the fake cloud: under the engine
 * they are one registration whose outputs the component provider computes;
 * offline the cloud answers those outputs (no children are created).
 *
 * Sources:
 * - `awsx:ecr:Image`: output `imageUri` `<repository url>@sha256:<digest>`
 *   (pulumi-awsx `awsx/ecr/image.ts`, the digest-pinned URI it returns).
 * - `eks:index:Cluster` (pulumi-eks 4.3.0, `nodejs/eks/cluster/cluster.ts`):
 *   `kubeconfig` with an exec user running `aws --region <region> eks get-token
 *   --cluster-name <name> --output json`, plus `--role <arn>` when
 *   `providerCredentialOpts.roleArn` is set and `--profile <name>` with its
 *   `profileName` (`generateKubeconfig`), `eksCluster` (the `aws.eks.Cluster` it creates),
 *   the cluster and node security groups, instance roles, the OIDC provider,
 *   and `core`. With an authentication mode it always sets
 *   `bootstrapClusterCreatorAdminPermissions: true` (`createCore`).
 *   The cluster's default service CIDR is `172.20.0.0/16` (EKS
 *   `kubernetesNetworkConfig.serviceIpv4Cidr` default when the VPC is in 10/8).
 */
import { arn, ec2Id, Handler, str } from "./common";

export const COMPONENTS: Record<string, Handler> = {
    "awsx:ecr:Image": c => {
        const repo = str(c.inputs.repositoryUrl) ?? `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${c.name}`;
        return { id: "", computed: { imageUri: `${repo}@sha256:${c.hex(64, "digest")}` } };
    },
    "eks:index:Cluster": c => {
        const name = str(c.inputs.name) ?? `${c.name}-eksCluster-${c.hex(7, "name")}`;
        const endpoint = `https://${c.hex(32, "endpoint").toUpperCase()}.gr7.${c.region}.eks.amazonaws.com`;
        const oidcId = c.hex(32, "oidc").toUpperCase();
        const oidcUrl = `oidc.eks.${c.region}.amazonaws.com/id/${oidcId}`;
        const clusterSg = ec2Id(c, "sg");
        const nodeSg = ec2Id({ ...c, hex: (n, p) => c.hex(n, `node${p}`) }, "sg");
        const vpcConfig = {
            clusterSecurityGroupId: clusterSg,
            endpointPrivateAccess: c.inputs.endpointPrivateAccess ?? false,
            endpointPublicAccess: c.inputs.endpointPublicAccess ?? true,
            publicAccessCidrs: c.inputs.publicAccessCidrs ?? ["0.0.0.0/0"],
            securityGroupIds: [clusterSg],
            subnetIds: c.inputs.privateSubnetIds ?? c.inputs.subnetIds ?? [],
            vpcId: c.inputs.vpcId ?? ec2Id(c, "vpc"),
        };
        const eksCluster = {
            id: name,
            name,
            arn: arn(c, "eks", `cluster/${name}`),
            endpoint,
            version: c.inputs.version ?? "1.35",
            status: "ACTIVE",
            roleArn: `arn:${c.partition}:iam::${c.account}:role/${c.name}-eksRole-${c.hex(7, "role")}`,
            vpcConfig,
            certificateAuthority: { data: Buffer.from(`offline-ca-${c.hex(16, "ca")}`).toString("base64") },
            identities: [{ oidcs: [{ issuer: `https://${oidcUrl}` }] }],
            // The component always bootstraps the creator as cluster admin when it sets a mode.
            accessConfig: { authenticationMode: c.inputs.authenticationMode ?? "CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: true },
            enabledClusterLogTypes: c.inputs.enabledClusterLogTypes ?? [],
            encryptionConfig: str(c.inputs.encryptionConfigKeyArn)
                ? { provider: { keyArn: c.inputs.encryptionConfigKeyArn }, resources: ["secrets"] }
                : undefined,
            kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16" },
            platformVersion: "eks.1",
        };
        const instanceRoles = [{ name: `${c.name}-instanceRole-${c.hex(7, "ir")}`, arn: `arn:${c.partition}:iam::${c.account}:role/${c.name}-instanceRole-${c.hex(7, "ir")}` }];
        // As pulumi-eks v4.3.0 builds it (nodejs/eks/cluster/cluster.ts generateKubeconfig).
        const credentialOpts = (typeof c.inputs.providerCredentialOpts === "string" ? JSON.parse(c.inputs.providerCredentialOpts) : c.inputs.providerCredentialOpts ?? {}) as Record<string, unknown>;
        const tokenArgs = [
            "--region", c.region, "eks", "get-token", "--cluster-name", name, "--output", "json",
            ...(str(credentialOpts.roleArn) ? ["--role", str(credentialOpts.roleArn)!] : []),
            ...(str(credentialOpts.profileName) ? ["--profile", str(credentialOpts.profileName)!] : []),
        ];
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": eksCluster.certificateAuthority.data } }],
            contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
            "current-context": "aws",
            users: [{
                name: "aws",
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: tokenArgs,
                        env: [{ name: "KUBERNETES_EXEC_INFO", value: `{"apiVersion": "client.authentication.k8s.io/v1beta1"}` }],
                    },
                },
            }],
        };
        const oidcProviderArn = `arn:${c.partition}:iam::${c.account}:oidc-provider/${oidcUrl}`;
        return {
            id: "",
            computed: {
                kubeconfig,
                kubeconfigJson: JSON.stringify(kubeconfig),
                eksCluster,
                clusterSecurityGroupId: clusterSg,
                clusterSecurityGroup: { id: clusterSg, arn: arn(c, "ec2", `security-group/${clusterSg}`) },
                nodeSecurityGroupId: nodeSg,
                nodeSecurityGroup: { id: nodeSg, arn: arn(c, "ec2", `security-group/${nodeSg}`) },
                clusterIngressRuleId: `sgrule-${c.hex(10, "ingress")}`,
                instanceRoles,
                oidcProviderArn,
                oidcProviderUrl: oidcUrl,
                oidcIssuer: oidcUrl,
                defaultNodeGroupAsgName: `${c.name}-nodes-${c.hex(7, "asg")}`,
                fargateProfileId: "",
                fargateProfileStatus: "",
                autoModeNodeRoleName: "",
                core: {
                    cluster: eksCluster,
                    endpoint,
                    clusterSecurityGroupId: clusterSg,
                    vpcId: vpcConfig.vpcId,
                    subnetIds: vpcConfig.subnetIds,
                    publicSubnetIds: c.inputs.publicSubnetIds ?? [],
                    privateSubnetIds: c.inputs.privateSubnetIds ?? [],
                    instanceRoles,
                    nodeGroupOptions: {},
                    kubeconfig,
                    oidcProvider: { arn: oidcProviderArn, url: oidcUrl },
                    clusterIamRole: { arn: eksCluster.roleArn },
                    accessEntries: [],
                },
            },
        };
    },
};
