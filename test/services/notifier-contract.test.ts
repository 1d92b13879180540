/**
 * The notifier's front-door route, its request schema and its function
 * agree, and the request docs/front-door.md shows succeeds against them:
 * the body passes the route's model as API Gateway validates it (JSON Schema
 * draft 4: API Gateway developer guide, "Data models for REST APIs"), and
 * the function answers 202 to the ALB event for the path the route delivers
 * (the stage prefix API Gateway adds to a private integration's path,
 * removed by the edge listener rule's rewrite; the event's shape: AWS
 * Lambda developer guide, "Using Lambda with an Application Load Balancer").
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv-draft-04";
import { stageRewrite } from "../../components/frontDoorRoutes";
import { PROJECT, ROOT, stackConfig } from "../helpers";
import { captureFunctionLog } from "./function-log";

// Plain JavaScript, loaded as Lambda loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const notifier = require(path.join(ROOT, "services/notifier/index.js")) as { handler(event: unknown): Promise<{ statusCode: number; body: string }> };

interface Route { path: string; methods: string[]; requestSchema?: string }

/** The notifier's exposed route with a request schema, in a shipped stack. */
function notifierRoute(stack: string): { route: Route; stage: string } {
    const config = stackConfig(stack);
    const services = config[`${PROJECT}:services`] as { name: string; expose?: { routes: Route[]; requestSchema?: string } }[];
    const notifierService = services.find(s => s.name === "notifier");
    assert.ok(notifierService?.expose, `${stack}: notifier is exposed`);
    const route = notifierService.expose.routes.find(r => r.requestSchema ?? notifierService.expose!.requestSchema);
    assert.ok(route, `${stack}: notifier has a route with a request schema`);
    const platform = config[`${PROJECT}:platform`] as { frontDoor: { stageName?: string } };
    return { route: { ...route, requestSchema: route.requestSchema ?? notifierService.expose.requestSchema }, stage: platform.frontDoor.stageName ?? "v1" };
}

/** The documented call: the JSON body after -d and the path after "$URL". */
function documentedCall(): { body: unknown; path: string } {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "front-door.md"), "utf8");
    const m = /-d '([^']+)' "\$URL(\/[^"]*)"/.exec(doc);
    assert.ok(m, "docs/front-door.md shows a call with -d '<json>' \"$URL/<path>\"");
    return { body: JSON.parse(m[1]), path: m[2] };
}

function validator(schemaFile: string): (body: unknown) => boolean {
    const ajv = new Ajv({ allErrors: true });
    return ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, schemaFile), "utf8")));
}

function albEvent(method: string, urlPath: string, body: unknown): Record<string, unknown> {
    return {
        requestContext: { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/notifier-fn/0123456789abcdef" } },
        httpMethod: method,
        path: urlPath,
        queryStringParameters: {},
        headers: { host: "internal-notifier-alb.us-east-1.elb.amazonaws.com", "content-type": "application/json" },
        body: JSON.stringify(body),
        isBase64Encoded: false,
    };
}

/** The path the function sees for a request to `path` on the stage: API Gateway adds `/<stage>`, the edge rule's rewrite removes it. */
function deliveredPath(stage: string, requestPath: string): string {
    const { regex, replace } = stageRewrite(stage);
    return `/${stage}${requestPath}`.replace(new RegExp(regex), replace);
}

describe("notifier: the route, its request schema and the function agree (NM1)", () => {
    captureFunctionLog();
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: the documented request passes the route's model and the function accepts it (202)`, async () => {
            const { route, stage } = notifierRoute(stack);
            const call = documentedCall();
            assert.strictEqual(call.path, route.path, "the docs call the notifier's route");
            const valid = validator(route.requestSchema!);
            assert.ok(valid(call.body), "the documented body passes the route's model");
            const answer = await notifier.handler(albEvent(route.methods[0], deliveredPath(stage, route.path), call.body));
            assert.strictEqual(answer.statusCode, 202, answer.body);
        });
    }

    it("the model and the function's validation give the same verdict on each field", async () => {
        const { route, stage } = notifierRoute("dev");
        const valid = validator(route.requestSchema!);
        const ok = { channel: "email", recipient: "ops@example.com", message: "disk almost full" };
        const probes: [string, unknown][] = [
            ["a valid email", ok],
            ["with a subject", { ...ok, subject: "disk" }],
            ["an sms", { channel: "sms", recipient: "+14155550100", message: "hi" }],
            ["a webhook", { channel: "webhook", recipient: "https://hooks.example.com/x", message: "hi" }],
            ["an unknown channel", { ...ok, channel: "pigeon" }],
            ["an unknown field", { ...ok, to: "ops@example.com" }],
            ["no message", { channel: "email", recipient: "ops@example.com" }],
            ["a subject too long", { ...ok, subject: "x".repeat(201) }],
            ["a message too long", { ...ok, message: "x".repeat(4001) }],
        ];
        for (const [what, body] of probes) {
            const answer = await notifier.handler(albEvent("POST", deliveredPath(stage, route.path), body));
            assert.strictEqual(valid(body), answer.statusCode === 202, `${what}: model ${valid(body)}, function ${answer.statusCode}`);
        }
    });
});
