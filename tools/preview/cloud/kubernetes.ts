/**
 * Kubernetes objects (`kubernetes:<group>/<version>:<Kind>`) in the fake
 * cloud, as the API server answers a create.
 *
 * Sources:
 * - The provider's id is `<namespace>/<name>`, or `<name>` for a
 *   cluster-scoped kind (pulumi-kubernetes `provider/pkg/provider/provider.go`,
 *   `fqObjName`); namespaced objects default to `default`.
 * - The API server fills `metadata.uid`, `resourceVersion`, `generation`,
 *   `creationTimestamp` (Kubernetes API conventions, "Metadata").
 * - `status` of the kinds the program creates (Kubernetes API reference:
 *   DeploymentStatus, ServiceStatus, NamespaceStatus,
 *   HorizontalPodAutoscalerStatus).
 *
 * What no offline model can know: whether a Deployment's pods start (image
 * pull, probes, capacity). A Deployment is answered as rolled out, and that
 * is listed as a fallback of the plan.
 */
import { Handler, Props, str, uuid } from "./common";

/** What the API server reports under `status` for the kinds the program creates. */
function kubernetesStatus(kind: string, inputs: Props): Props | undefined {
    const spec = (inputs.spec ?? {}) as Props;
    switch (kind) {
        case "Deployment": {
            const replicas = typeof spec.replicas === "number" ? spec.replicas : 1;
            return {
                observedGeneration: 1, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas,
                conditions: [{ type: "Available", status: "True" }, { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" }],
            };
        }
        case "Service":
            return { loadBalancer: {} };
        case "Namespace":
            return { phase: "Active" };
        case "HorizontalPodAutoscaler":
            return { currentReplicas: spec.minReplicas ?? 1, desiredReplicas: spec.minReplicas ?? 1 };
        default:
            return undefined;
    }
}

const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "StorageClass", "CustomResourceDefinition", "PersistentVolume"]);

/** The kinds whose answer above is modelled; another kind is answered generically and listed as a fallback. */
export const KUBERNETES_KINDS = new Set(["Deployment", "Service", "Namespace", "HorizontalPodAutoscaler", "ServiceAccount", "ConfigMap", "Secret", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);

export function kubernetesHandler(kind: string): Handler {
    return c => {
        const meta = (c.inputs.metadata ?? {}) as Props;
        const name = str(meta.name) ?? `${c.name}-${c.hex(8, "name")}`;
        const namespace = CLUSTER_SCOPED.has(kind) ? undefined : str(meta.namespace) ?? "default";
        const status = kubernetesStatus(kind, c.inputs);
        if (kind === "Deployment") {
            c.fallback("the rollout completes: every replica becomes available",
                "safe for the plan: nothing in the program or the pack reads a Deployment's status, and the image it names is checked in the world before it is declared (components/preflight.ts); whether its pods start (pulls through the VPC endpoints, probes, capacity) only a real cluster shows");
        } else if (!KUBERNETES_KINDS.has(kind)) {
            c.fallback(`the API server accepts this ${kind}`, "not a kind this cloud models (tools/preview/cloud/kubernetes.ts)");
        }
        return {
            id: namespace ? `${namespace}/${name}` : name,
            checked: {
                metadata: {
                    ...meta, name, ...(namespace ? { namespace } : {}),
                    uid: uuid(c.hex(32, "uid")), resourceVersion: String(parseInt(c.hex(6, "rv"), 16)),
                    generation: 1, creationTimestamp: "2026-01-01T00:00:00Z",
                },
            },
            computed: status ? { status } : {},
        };
    };
}
