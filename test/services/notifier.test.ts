import * as assert from "assert";
import * as path from "path";
import { ROOT } from "../helpers";
import { captureFunctionLog } from "./function-log";

interface AlbResult {
    statusCode: number;
    statusDescription: string;
    isBase64Encoded: boolean;
    headers: Record<string, string>;
    body: string;
}
// Plain JavaScript with no types: loaded as Lambda loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const notifier = require(path.join(ROOT, "services/notifier/index.js")) as { handler(event: unknown): Promise<AlbResult> };

/** An event as an ALB sends it to a Lambda target (single-value headers). */
function albEvent(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}, base64 = false): Record<string, unknown> {
    const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
    return {
        requestContext: { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/notifier-fn/0123456789abcdef" } },
        httpMethod: method,
        path: urlPath,
        queryStringParameters: {},
        headers: { host: "internal-notifier-alb.us-east-1.elb.amazonaws.com", "user-agent": "test", ...headers },
        body: base64 ? Buffer.from(text).toString("base64") : text,
        isBase64Encoded: base64,
    };
}

const json = { "content-type": "application/json" };
const good = { channel: "email", recipient: "ops@example.com", subject: "Disk", message: "Disk 90% full" };

describe("services/notifier (Lambda behind an ALB)", () => {
    const logged = captureFunctionLog();

    it("answers the health check with 200 and a JSON body in the ALB response shape", async () => {
        const r = await notifier.handler(albEvent("GET", "/health"));
        assert.strictEqual(r.statusCode, 200);
        assert.strictEqual(r.statusDescription, "200 OK");
        assert.strictEqual(r.isBase64Encoded, false);
        assert.strictEqual(r.headers["content-type"], "application/json");
        assert.deepStrictEqual(JSON.parse(r.body), { status: "ok" });
    });

    it("accepts a valid notification with 202, an id and its location", async () => {
        const r = await notifier.handler(albEvent("POST", "/notifications", good, json));
        assert.strictEqual(r.statusCode, 202);
        const body = JSON.parse(r.body);
        assert.match(body.id, /^[0-9a-f-]{36}$/);
        assert.strictEqual(body.status, "accepted");
        assert.strictEqual(body.channel, "email");
        assert.strictEqual(r.headers.location, `/notifications/${body.id}`);
        assert.deepStrictEqual(JSON.parse(logged[logged.length - 1]), { event: "notification.accepted", id: body.id, channel: "email" }, "the accepted notification is recorded in the function's log");
    });

    it("reads a base64 body, a content type with parameters and mixed-case header names", async () => {
        const r = await notifier.handler(albEvent("POST", "/notifications/", good, { "Content-Type": "application/json; charset=utf-8" }, true));
        assert.strictEqual(r.statusCode, 202, r.body);
    });

    it("refuses invalid JSON with 400", async () => {
        const r = await notifier.handler(albEvent("POST", "/notifications", "{not json", json));
        assert.strictEqual(r.statusCode, 400);
        assert.match(JSON.parse(r.body).error, /not valid JSON/);
    });

    it("refuses invalid fields with 400 and lists every problem", async () => {
        const r = await notifier.handler(albEvent("POST", "/notifications", { channel: "pigeon", recipient: "", extra: 1 }, json));
        assert.strictEqual(r.statusCode, 400);
        const { problems } = JSON.parse(r.body) as { problems: string[] };
        assert.deepStrictEqual(problems, [
            "extra: unknown field",
            "channel: must be one of email, sms, webhook",
            "recipient: is required",
            "message: is required",
        ]);
    });

    it("checks the recipient against the channel", async () => {
        const cases: [string, string, RegExp][] = [
            ["email", "not-an-address", /not an email address/],
            ["sms", "0123", /E\.164/],
            ["webhook", "http://example.com/hook", /https:\/\//],
        ];
        for (const [channel, recipient, problem] of cases) {
            const r = await notifier.handler(albEvent("POST", "/notifications", { channel, recipient, message: "x" }, json));
            assert.strictEqual(r.statusCode, 400, `${channel} ${recipient}`);
            assert.match(JSON.parse(r.body).problems.join("; "), problem);
        }
        const ok = await notifier.handler(albEvent("POST", "/notifications", { channel: "sms", recipient: "+4915112345678", message: "x" }, json));
        assert.strictEqual(ok.statusCode, 202);
    });

    it("refuses a body that is not a JSON object, and an over-long message", async () => {
        for (const body of ["[]", "null", "42"]) {
            const r = await notifier.handler(albEvent("POST", "/notifications", body, json));
            assert.strictEqual(r.statusCode, 400, body);
        }
        const long = await notifier.handler(albEvent("POST", "/notifications", { ...good, message: "x".repeat(4001) }, json));
        assert.strictEqual(long.statusCode, 400);
        const huge = await notifier.handler(albEvent("POST", "/notifications", { ...good, message: "x".repeat(20000) }, json));
        assert.strictEqual(huge.statusCode, 413);
    });

    it("refuses anything but JSON with 415", async () => {
        const r = await notifier.handler(albEvent("POST", "/notifications", "channel=email", { "content-type": "application/x-www-form-urlencoded" }));
        assert.strictEqual(r.statusCode, 415);
        const none = await notifier.handler(albEvent("POST", "/notifications", good));
        assert.strictEqual(none.statusCode, 415);
    });

    it("answers unknown paths with 404 and wrong methods with 405 and Allow", async () => {
        assert.strictEqual((await notifier.handler(albEvent("GET", "/admin"))).statusCode, 404);
        const r = await notifier.handler(albEvent("GET", "/notifications"));
        assert.strictEqual(r.statusCode, 405);
        assert.strictEqual(r.headers.allow, "POST");
        assert.strictEqual((await notifier.handler({})).statusCode, 404);
    });
});
