import { ofType, resourceRule, subject } from "../../lib/rule";
import { hostMounts, K8S_DEPLOYMENT, TASK_DEFINITION } from "../../lib/workload-strings";

/**
 * Host paths that hand a container its host: container runtime sockets (whoever
 * reaches the Docker or containerd socket starts privileged containers:
 * Docker Engine security, "Docker daemon attack surface",
 * https://docs.docker.com/engine/security/#docker-daemon-attack-surface), the
 * ECS agent's and kubelet's state, and the host's own root, configuration,
 * kernel and device trees (Kubernetes Pod Security Standards, Baseline,
 * "HostPath Volumes" must be forbidden,
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/).
 */
const SENSITIVE: readonly { path: string; what: string }[] = [
    { path: "/var/run/docker.sock", what: "the Docker socket" },
    { path: "/run/docker.sock", what: "the Docker socket" },
    { path: "/var/run/docker", what: "the Docker runtime directory" },
    { path: "/run/containerd", what: "the containerd socket" },
    { path: "/var/run/containerd", what: "the containerd socket" },
    { path: "/var/run/crio", what: "the CRI-O socket" },
    { path: "/run/crio", what: "the CRI-O socket" },
    { path: "/var/run/ecs", what: "the ECS agent's socket" },
    { path: "/var/lib/ecs", what: "the ECS agent's state and credentials" },
    { path: "/var/lib/docker", what: "every container's file system" },
    { path: "/var/lib/containerd", what: "every container's file system" },
    { path: "/var/lib/kubelet", what: "the kubelet's credentials and pods' volumes" },
    { path: "/etc", what: "the host's configuration" },
    { path: "/root", what: "the host's root home" },
    { path: "/home", what: "the host's users" },
    { path: "/proc", what: "the host's processes" },
    { path: "/sys", what: "the host's kernel settings" },
    { path: "/dev", what: "the host's devices" },
    { path: "/boot", what: "the host's kernel" },
];

function normalize(p: string): string {
    const parts: string[] = [];
    for (const seg of p.split("/")) {
        if (seg === "" || seg === ".") continue;
        if (seg === "..") parts.pop();
        else parts.push(seg);
    }
    return `/${parts.join("/")}`;
}

/** Why a host path hands over the host, or undefined. The host's root, a sensitive path, anything under one, or a parent of one. */
export function sensitiveHostPath(path: string): string | undefined {
    const p = normalize(path);
    if (p === "/") return "the host's whole file system";
    for (const s of SENSITIVE) {
        if (p === s.path || p.startsWith(`${s.path}/`)) return s.what;
        if (s.path.startsWith(`${p}/`)) return `a directory holding ${s.what} (${s.path})`;
    }
    return undefined;
}

export const workloadNoHostRuntimeMounts = resourceRule({
    name: "workload-no-host-runtime-mounts",
    description: "No ECS task or Kubernetes workload mounts a container runtime's socket or a sensitive host path (the host's root, /etc, /proc, /sys, /dev, the ECS agent's or kubelet's state).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the host volume; share data through a task volume without a host path, EFS, or an AWS service the task reaches through its VPC endpoints.",
    meta: {
        area: "compute",
        rationale:
            "A container that reaches the Docker or containerd socket starts privileged containers on its host, and one that mounts the host's root, /proc or the agent's state reads other tasks' credentials: " +
            "the isolation of every other workload on the host is gone (Docker Engine security, \"Docker daemon attack surface\"; Kubernetes Pod Security Standards, Baseline \"HostPath Volumes\").",
        equivalents: {},
    },
    validateResource: [TASK_DEFINITION, K8S_DEPLOYMENT].map((type) =>
        ofType(type, (props, args, report) => {
            for (const m of hostMounts(args.type, props)) {
                const why = sensitiveHostPath(m.path);
                if (why) report(`${subject(args)} ${m.where} mounts host path ${JSON.stringify(m.path)}: ${why}. Fix: remove the host volume; share data through a task volume without a host path or through EFS.`);
            }
        }),
    ),
});
