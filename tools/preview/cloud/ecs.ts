/**
 * Amazon ECS in the fake cloud: clusters, task definitions, services,
 * capacity providers.
 *
 * Sources:
 * - ARNs `arn:aws:ecs:<region>:<account>:cluster/<name>`,
 *   `task-definition/<family>:<revision>`, `service/<cluster>/<name>`,
 *   `capacity-provider/<name>` (ECS Developer Guide, "Amazon Resource Names
 *   (ARNs) and IDs", the long ARN format).
 * - A new task definition family starts at revision 1 (RegisterTaskDefinition).
 * - The provider's ids: the cluster and service ARN, the family for a task
 *   definition, the cluster name for ClusterCapacityProviders
 *   (terraform-provider-aws `internal/service/ecs/{cluster,service,task_definition,cluster_capacity_providers}.go`).
 */
import { arn, Handler, ServiceModel, str } from "./common";

const resources: Record<string, Handler> = {
    "aws:ecs/cluster:Cluster": c => {
        const name = c.autoname();
        const a = arn(c, "ecs", `cluster/${name}`);
        return { id: a, checked: { name }, computed: { arn: a } };
    },
    "aws:ecs/taskDefinition:TaskDefinition": c => {
        const family = str(c.inputs.family) ?? c.autoname("family");
        return {
            id: family,
            computed: {
                arn: arn(c, "ecs", `task-definition/${family}:1`),
                arnWithoutRevision: arn(c, "ecs", `task-definition/${family}`),
                revision: 1,
            },
        };
    },
    "aws:ecs/service:Service": c => {
        const name = c.autoname();
        const clusterArn = str(c.inputs.cluster) ?? arn(c, "ecs", "cluster/default");
        const a = arn(c, "ecs", `service/${clusterArn.split("/").pop()}/${name}`);
        return { id: a, checked: { name }, computed: { arn: a, cluster: clusterArn } };
    },
    "aws:ecs/capacityProvider:CapacityProvider": c => {
        const name = c.autoname();
        const a = arn(c, "ecs", `capacity-provider/${name}`);
        return { id: a, checked: { name }, computed: { arn: a } };
    },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": c => ({ id: str(c.inputs.clusterName) ?? c.name }),
};

export const ECS: ServiceModel = { resources };
