import * as assert from "assert";
import { DESTINATIONS, NOT_DESTINATIONS } from "../facts/destinations";
import { allowList } from "../lib/allowed-types";
import { valuesAt } from "../lib/destinations";
import { rec } from "./fixtures";
import { assertClean, assertTrips, inDays, mandatory, run } from "./helpers";
import { inputPaths } from "./provider-schema";

const RULE = "destinations-in-environment";
const OWN = "210000000001";
const STRANGER = "410000000004";
const declared = { "aws:allowedAccountIds": [OWN], "aws:region": "us-east-1" };

/**
 * A property name that, by the provider's own naming, addresses something:
 * an ARN, a destination, a URI/URL/endpoint/host, a bucket, a layer, an
 * image, a log group, a key, a JSON list of containers or a redrive policy.
 */
const DESTINATION_LIKE = /(arns?|destinations?|uri|url|endpoint|bucket|bucketname|layers|image|imageid|imageuri|loggroup|loggroupname|keyid|kmskey|keyarn|host|definitions|redrivepolicy)$/i;

describe("destinations: the table", () => {
    const aws = [...allowList().keys()].filter((t) => t.startsWith("aws:"));

    it("reads the provider's schema (a property the provider declares is found, nested blocks and lists included)", () => {
        const fn = inputPaths("aws:lambda/function:Function");
        for (const p of ["deadLetterConfig.targetArn", "layers", "imageUri", "loggingConfig.logGroup"]) assert.ok(fn.includes(p), p);
        assert.ok(inputPaths("aws:lb/listener:Listener").includes("defaultActions[].forward.targetGroups[].arn"));
    });

    it("lists every destination-like property of every allowed type, or says why it is not one", () => {
        const missing: string[] = [];
        for (const t of aws) {
            for (const p of inputPaths(t)) {
                const last = p.split(".").pop()!.replace("[]", "");
                if (!DESTINATION_LIKE.test(last)) continue;
                const listed = DESTINATIONS.some((d) => d.type === t && d.path.replace(/\{json\}.*$/, "") === p);
                const excused = NOT_DESTINATIONS.some((n) => n.match.test(p) || n.match.test(last));
                if (!listed && !excused) missing.push(`${t} ${p}`);
            }
        }
        assert.deepStrictEqual(missing, [], "add each to policies/facts/destinations.ts (DESTINATIONS, or NOT_DESTINATIONS with a reason)");
    });

    it("names only properties the provider has, each with a source", () => {
        for (const d of DESTINATIONS) {
            assert.ok(/^https?:\/\/|\.(ts|go)\b/.test(d.source), `${d.type} ${d.path}: source`);
            if (!d.type.startsWith("aws:")) continue;
            assert.ok(inputPaths(d.type).includes(d.path.replace(/\{json\}.*$/, "")), `${d.type} has no input ${d.path}`);
        }
    });

    it("reads values at a path through lists and JSON strings", () => {
        const props = { containerDefinitions: JSON.stringify([{ image: "a" }, { image: "b" }]), layers: ["x", "y"] };
        assert.deepStrictEqual(valuesAt(props, "containerDefinitions{json}[].image"), [
            { path: "containerDefinitions[0].image", value: "a" },
            { path: "containerDefinitions[1].image", value: "b" },
        ]);
        assert.deepStrictEqual(valuesAt(props, "layers").map((v) => v.value), ["x", "y"]);
    });
});

describe(`${RULE}: destinations are edges`, () => {
    const queue = rec("aws:sqs/queue:Queue", "orders-dlq", {}, { outputs: { arn: `arn:aws:sqs:us-east-1:${OWN}:orders-dlq` } });
    const fn = (props: Record<string, unknown>) => rec("aws:lambda/function:Function", "notifier", { role: `arn:aws:iam::${OWN}:role/notifier`, ...props });

    it("dead letters, layers and images in the environment pass", async () => {
        const ok = fn({
            deadLetterConfig: { targetArn: `arn:aws:sqs:us-east-1:${OWN}:orders-dlq` },
            layers: [`arn:aws:lambda:us-east-1:${OWN}:layer:otel:3`],
            kmsKeyArn: "alias/platform",
        });
        const task = rec("aws:ecs/taskDefinition:TaskDefinition", "orders", { containerDefinitions: JSON.stringify([{ name: "app", image: `${OWN}.dkr.ecr.us-east-1.amazonaws.com/orders:1.0.0` }]) });
        assertClean(await run([queue, ok, task], [RULE], { stackConfig: declared }));
    });

    it("dead letters to another account, another account's layer, a public image and another account's bucket are refused", async () => {
        const bad = fn({ deadLetterConfig: { targetArn: `arn:aws:sqs:us-east-1:${STRANGER}:collector` }, layers: [`arn:aws:lambda:us-east-1:${STRANGER}:layer:helper:1`] });
        const task = rec("aws:ecs/taskDefinition:TaskDefinition", "orders", { containerDefinitions: JSON.stringify([{ name: "app", image: "docker.io/someone/tool:latest" }]) });
        const flow = rec("aws:ec2/flowLog:FlowLog", "orders-flow", { logDestination: "arn:aws:s3:::central-flow-logs-bucket/orders", logDestinationType: "s3" });
        const sub = rec("aws:sns/topicSubscription:TopicSubscription", "events-copy", { topic: "t", protocol: "https", endpoint: "https://collector.example.net/hook" });
        const vs = await run([queue, bad, task, flow, sub], [RULE], { stackConfig: declared });
        assertTrips(vs, RULE, `"notifier"`, "deadLetterConfig.targetArn", STRANGER);
        assertTrips(vs, RULE, `"notifier"`, "layers[0]", STRANGER);
        assertTrips(vs, RULE, `"orders"`, "containerDefinitions[0].image", "docker.io/someone/tool");
        assertTrips(vs, RULE, `"orders-flow"`, "central-flow-logs-bucket", "names no account");
        assertTrips(vs, RULE, `"events-copy"`, "collector.example.net");
        // A bucket the plan creates is inside.
        const bucket = rec("aws:s3/bucketV2:BucketV2", "flow", {}, { outputs: { bucket: "central-flow-logs-bucket", arn: "arn:aws:s3:::central-flow-logs-bucket" } });
        assertClean(await run([bucket, flow], [RULE], { stackConfig: declared }));
    });

    it("a declared external destination passes only with a narrow pattern, a reason and an expiry", async () => {
        const sub = rec("aws:sns/topicSubscription:TopicSubscription", "events-copy", { topic: "t", protocol: "https", endpoint: "https://collector.example.net/hook" });
        const ok = { [RULE]: { externalDestinations: [{ destination: "https://collector.example.net/*", reason: "the SIEM vendor's intake, contract SEC-311", expires: inDays(60) }] } };
        assertClean(await run([sub], [RULE], { stackConfig: declared, config: ok }));
        const broad = { [RULE]: { externalDestinations: [{ destination: "https://*", reason: "the SIEM vendor's intake, contract SEC-311", expires: inDays(60) }] } };
        assert.strictEqual(mandatory(await run([sub], [RULE], { stackConfig: declared, config: broad })).length, 2);
    });

    it("in preview, a destination from a resource of the plan is inside; one from nowhere waits for up", async () => {
        const pending = rec("aws:lambda/function:Function", "notifier", { deadLetterConfig: "<unknown>" }, { deps: { deadLetterConfig: queue } });
        assertClean(await run([queue, pending], [RULE], { stackConfig: declared, mode: "preview" }));
        const orphan = rec("aws:lambda/function:Function", "notifier", { deadLetterConfig: "<unknown>" });
        const vs = await run([orphan], [RULE], { stackConfig: declared, mode: "preview" });
        assert.ok(vs.some((v) => v.policy === RULE && /during preview/.test(v.message)), JSON.stringify(vs));
    });
});
