/**
 * Amazon EKS (the `aws.eks` resources) in the fake cloud: clusters, managed
 * node groups, add-ons, Pod Identity associations, access entries.
 *
 * Sources:
 * - ARNs `arn:aws:eks:<region>:<account>:cluster/<name>`,
 *   `nodegroup/<cluster>/<name>/<uuid>`, `addon/<cluster>/<addon>/<uuid>`,
 *   `podidentityassociation/<cluster>/<id>`, `access-entry/<cluster>/role/<account>/<role>/<uuid>`
 *   (Service Authorization Reference, "Amazon EKS resource types").
 * - Endpoint `https://<32 hex>.gr7.<region>.eks.amazonaws.com` (EKS
 *   DescribeCluster `endpoint`).
 * - A node group's managed Auto Scaling group `eks-<nodegroup>-<uuid>`
 *   (EKS User Guide, "Managed node groups": resources).
 * - The provider's ids: `<cluster>:<node group>`, `<cluster>:<addon>`,
 *   `<cluster>:<principal>`, `<cluster>#<principal>#<policy>`
 *   (terraform-provider-aws `internal/service/eks/{node_group,addon,access_entry,access_policy_association}.go`).
 */
import { arn, Handler, ServiceModel, str, uuid } from "./common";

const resources: Record<string, Handler> = {
    "aws:eks/cluster:Cluster": c => {
        const name = c.autoname();
        return { id: name, checked: { name }, computed: { arn: arn(c, "eks", `cluster/${name}`), endpoint: `https://${c.hex(32).toUpperCase()}.gr7.${c.region}.eks.amazonaws.com`, status: "ACTIVE" } };
    },
    "aws:eks/nodeGroup:NodeGroup": c => {
        const cluster = str(c.inputs.clusterName) ?? "cluster";
        const name = c.autoname("nodeGroupName", { maxLength: 63 });
        const uid = uuid(c.hex(32, "ng")).replace(/-/g, "").slice(0, 8);
        return {
            id: `${cluster}:${name}`,
            checked: { nodeGroupName: name },
            computed: {
                arn: arn(c, "eks", `nodegroup/${cluster}/${name}/${uuid(c.hex(32, "ng"))}`),
                status: "ACTIVE",
                capacityType: "ON_DEMAND",
                diskSize: 0,
                releaseVersion: "1.35.0-20261101",
                version: "1.35",
                resources: [{ autoscalingGroups: [{ name: `eks-${name}-${uid}` }], remoteAccessSecurityGroupId: "" }],
            },
        };
    },
    "aws:eks/addon:Addon": c => {
        const cluster = str(c.inputs.clusterName) ?? "cluster";
        const addon = str(c.inputs.addonName) ?? c.name;
        return {
            id: `${cluster}:${addon}`,
            computed: {
                arn: arn(c, "eks", `addon/${cluster}/${addon}/${uuid(c.hex(32, "addon"))}`),
                addonVersion: str(c.inputs.addonVersion) ?? "v1.0.0-eksbuild.1",
                createdAt: "2026-01-01T00:00:00Z",
                modifiedAt: "2026-01-01T00:00:00Z",
            },
        };
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": c => {
        const cluster = str(c.inputs.clusterName) ?? "cluster";
        const associationId = `a-${c.hex(17, "assoc")}`;
        return {
            id: associationId,
            computed: {
                associationId,
                associationArn: arn(c, "eks", `podidentityassociation/${cluster}/${associationId}`),
                externalId: uuid(c.hex(32, "external")),
            },
        };
    },
    "aws:eks/accessEntry:AccessEntry": c => {
        const cluster = str(c.inputs.clusterName) ?? "cluster";
        const principal = str(c.inputs.principalArn) ?? "";
        return {
            id: `${cluster}:${principal}`,
            computed: {
                accessEntryArn: arn(c, "eks", `access-entry/${cluster}/role/${c.account}/${principal.split("/").pop() ?? ""}/${uuid(c.hex(32, "entry"))}`),
                kubernetesGroups: [],
                userName: principal,
                createdAt: "2026-01-01T00:00:00Z",
            },
        };
    },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": c => ({
        id: `${str(c.inputs.clusterName) ?? "cluster"}#${str(c.inputs.principalArn) ?? ""}#${str(c.inputs.policyArn) ?? ""}`,
        computed: { associatedAt: "2026-01-01T00:00:00Z", modifiedAt: "2026-01-01T00:00:00Z" },
    }),
};

export const EKS: ServiceModel = { resources };
