/**
 * Red-team cases: secrets a workload sees in the clear, whatever they are
 * called, and host mounts that hand a task its host. Each targets a promise
 * ("no secret reaches a task in the clear", "no task controls its host"),
 * written as an engineer would write the edit, planned offline and judged by
 * the real pack.
 */
import { Edit, RedTeamCase, redTeamCatalog, withEcsOnEc2 } from "./harness";
import { redTeamSuite } from "./run";
import { PROJECT } from "../helpers";

const SECRETS = "workload-no-secrets-in-content";
const MOUNTS = "workload-no-host-runtime-mounts";
/** The container every ECS service runs (components/runtimes/ecs.ts), with a property added. */
const inContainer = (insert: string): Edit[] => [{ file: "components/runtimes/ecs.ts", after: "        essential: true,", insert: `\n        ${insert}` }];
/** The task definition every ECS service registers, with a property added. */
const inTask = (insert: string): Edit[] => [{ file: "components/runtimes/ecs.ts", after: "        ...launch,", insert: `\n        ${insert}` }];

/** The red-team catalog with one service's environment set, as its stack file would set it. */
function withEnvironment(service: string, environment: Record<string, string>): Record<string, unknown> {
    const config = redTeamCatalog();
    const key = `${PROJECT}:services`;
    config[key] = (config[key] as Record<string, unknown>[]).map((s) => (s.name === service ? { ...s, environment } : s));
    return config;
}


const cases: RedTeamCase[] = [
    {
        name: "no secret reaches a task in the clear: a generated database password passed in the container's command",
        edits: inContainer(`command: ["sh", "-c", "exec ./server --db-user orders --db-password pX7qR2vLm9Kt4ZsW8nB3yHc6"],`),
        expect: SECRETS,
        previewMayDefer: true,
    },
    {
        name: "no secret reaches a task in the clear: a password inside a connection URL in the catalog's environment",
        edits: [],
        stackConfig: withEnvironment("orders", { DATABASE_URL: "postgres://orders:Winter-Harbor-2026@orders-db.internal:5432/orders" }),
        expect: SECRETS,
        previewMayDefer: true,
    },
    {
        name: "no secret reaches a function in the clear: a partner webhook URL with basic-auth credentials in the function's environment",
        edits: [],
        stackConfig: withEnvironment("notifier", { PARTNER_HOOK: "https://notify:Blue-Lantern-77@hooks.acme-logistics.com/v1" }),
        expect: SECRETS,
    },
    {
        name: "no task controls its host: the Docker socket mounted into every ECS task",
        edits: inTask(`volumes: [{ name: "docker", hostPath: "/var/run/docker.sock" }],`),
        stackConfig: withEcsOnEc2(),
        expect: MOUNTS,
    },
];

redTeamSuite("red team: secrets by content, host mounts", cases);
