import * as assert from "assert";
import { createSign, generateKeyPairSync, KeyObject } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../helpers";

/** The authorizer's code with a config.json, as the front door packages it (components/frontDoorApi.ts). */
function loadAuthorizer(config: unknown): { verify(token: string, now?: number): Record<string, unknown> | null; handler(e: unknown): Promise<unknown> } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authorizer-"));
    fs.copyFileSync(path.join(ROOT, "components", "frontDoorAuthorizer", "index.js"), path.join(dir, "index.js"));
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(dir, "index.js"));
}

function sign(key: KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>): string {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${createSign("RSA-SHA256").update(input).sign(key).toString("base64url")}`;
}

describe("front door: the token authorizer verifies JWTs against the configured keys only", () => {
    const issuer = "https://login.partner.example/";
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwks = { keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256" }] };
    const auth = loadAuthorizer({ issuer, audiences: ["api"], jwks });
    const now = 1_800_000_000;
    const good = { iss: issuer, aud: "api", sub: "partner-1", exp: now + 300 };
    const header = { alg: "RS256", kid: "k1", typ: "JWT" };

    it("accepts a token signed by the issuer's key, for an accepted audience, not expired", () => {
        assert.strictEqual(auth.verify(`Bearer ${sign(privateKey, header, good)}`, now)?.sub, "partner-1");
    });

    it("refuses another key, another issuer or audience, an expired token, alg none and garbage", () => {
        assert.strictEqual(auth.verify(sign(other.privateKey, header, good), now), null);
        assert.strictEqual(auth.verify(sign(privateKey, header, { ...good, iss: "https://evil.example/" }), now), null);
        assert.strictEqual(auth.verify(sign(privateKey, header, { ...good, aud: "other" }), now), null);
        assert.strictEqual(auth.verify(sign(privateKey, header, { ...good, exp: now - 3600 }), now), null);
        assert.strictEqual(auth.verify(sign(privateKey, { ...header, alg: "none" }, good), now), null);
        assert.strictEqual(auth.verify(sign(privateKey, { ...header, kid: "unknown" }, good), now), null);
        assert.strictEqual(auth.verify("not.a.jwt", now), null);
    });

    it("answers API Gateway with an Allow policy for the stage, or Unauthorized", async () => {
        const token = sign(privateKey, header, { ...good, exp: Math.floor(Date.now() / 1000) + 300 });
        const methodArn = "arn:aws:execute-api:us-east-1:730841926357:abcdefghij/v1/GET/search";
        const out = await auth.handler({ type: "TOKEN", authorizationToken: `Bearer ${token}`, methodArn }) as { principalId: string; policyDocument: { Statement: { Effect: string; Resource: string }[] } };
        assert.strictEqual(out.principalId, "partner-1");
        assert.deepStrictEqual(out.policyDocument.Statement.map(s => [s.Effect, s.Resource]), [["Allow", "arn:aws:execute-api:us-east-1:730841926357:abcdefghij/v1/*"]]);
        await assert.rejects(auth.handler({ type: "TOKEN", authorizationToken: "Bearer x.y.z", methodArn }), /Unauthorized/);
    });
});
