import * as assert from "assert";
import { entropy, secretsIn } from "../lib/secrets";
import { sensitiveHostPath } from "../rules/compute/workload-no-host-runtime-mounts";
import { rec } from "./fixtures";
import { assertClean, assertTrips, run } from "./helpers";

const SECRETS = "workload-no-secrets-in-content";
const MOUNTS = "workload-no-host-runtime-mounts";
/** Built at run time so the repository holds no credential-shaped literal. */
const awsSecretKey = ["wJalrXUtnFEMI", "K7MDENG", "bPxRfiCYzq8Ht2LmV3sN4Rt"].join("/");
const taskDef = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    rec("aws:ecs/taskDefinition:TaskDefinition", "orders", { containerDefinitions: JSON.stringify([{ name: "app", image: "x", ...container }]), ...extra });

describe("secrets by content", () => {
    it("finds a password in a connection URL, a key in a command, and a random token; leaves names, hosts and ARNs alone", async () => {
        const found = await secretsIn([
            { where: "url", value: "DATABASE_URL=postgres://orders:Tr0ub4dor-and-3@orders-db.internal:5432/orders" },
            { where: "cmd", value: `aws configure set aws_secret_access_key ${awsSecretKey}` },
            { where: "token", value: "SESSION_SIGNING=Zq8HtL2mV3sN4RtYw7Xk9PbQ1cDf5GhJ" },
            { where: "plain", value: "LOG_LEVEL=debug" },
            { where: "arn", value: "QUEUE=arn:aws:sqs:us-east-1:210000000001:orders-dead-letters" },
            { where: "host", value: "ECS_CLUSTER=recommend-cluster-d0797fd ECS_ENABLE_GPU_SUPPORT=true" },
        ]);
        assert.deepStrictEqual(found.map((f) => f.where).sort(), ["cmd", "token", "url"]);
        assert.ok(!JSON.stringify(found).includes("Tr0ub4dor-and-3"), "a finding does not repeat the secret");
        assert.ok(entropy("aaaaaaaa") < 1 && entropy("Zq8HtL2mV3sN4RtYw7Xk9PbQ1cDf5GhJ") > 4.5);
    });

    it(`${SECRETS}: a password in a container command, in a URL of an environment value, in instance user data, and in Kubernetes args`, async () => {
        const cmd = taskDef({ command: ["sh", "-c", `AWS_SECRET_ACCESS_KEY=${awsSecretKey} ./run`] });
        const url = rec("aws:lambda/function:Function", "notifier", { environment: { variables: { UPSTREAM: "https://svc:Hunter2hunter2@partner.example.net/hook" } } });
        const ud = rec("aws:ec2/launchTemplate:LaunchTemplate", "hosts", { userData: Buffer.from("#!/bin/bash\nexport DB=mysql://root:S3cretPassw0rd@db:3306/app\n").toString("base64") });
        const k8s = rec("kubernetes:apps/v1:Deployment", "search", { spec: { template: { spec: { containers: [{ name: "app", args: ["--token", "Zq8HtL2mV3sN4RtYw7Xk9PbQ1cDf5GhJ"] }] } } } });
        const vs = await run([cmd, url, ud, k8s], [SECRETS]);
        assertTrips(vs, SECRETS, `"orders"`, "command");
        assertTrips(vs, SECRETS, `"notifier"`, "UPSTREAM");
        assertTrips(vs, SECRETS, `"hosts"`, "userData");
        assertTrips(vs, SECRETS, `"search"`, "args", "high-entropy");
        const ok = taskDef({ command: ["./run", "--port", "8080"], environment: [{ name: "LOG_LEVEL", value: "info" }], secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:210000000001:secret:db" }] });
        assertClean(await run([ok], [SECRETS]));
    });

    it(`${MOUNTS}: the Docker socket, the host's root and /proc are refused; a plain task volume is not`, async () => {
        assert.strictEqual(sensitiveHostPath("/var/run/../run/docker.sock"), "the Docker socket");
        assert.match(sensitiveHostPath("/var") ?? "", /directory holding/);
        assert.strictEqual(sensitiveHostPath("/data/cache"), undefined);
        const docker = taskDef({}, { volumes: [{ name: "docker", hostPath: "/var/run/docker.sock" }, { name: "scratch" }] });
        const root = rec("kubernetes:apps/v1:Deployment", "search", { spec: { template: { spec: { containers: [{ name: "app" }], volumes: [{ name: "host", hostPath: { path: "/" } }] } } } });
        const vs = await run([docker, root], [MOUNTS]);
        assertTrips(vs, MOUNTS, `"orders"`, "/var/run/docker.sock", "Docker socket");
        assertTrips(vs, MOUNTS, `"search"`, "whole file system");
        assertClean(await run([taskDef({}, { volumes: [{ name: "scratch" }, { name: "cache", hostPath: "/data/cache" }] })], [MOUNTS]));
    });
});
