import * as assert from "assert";
import { createHash, createSign, generateKeyPairSync, KeyObject } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AUTHORIZER_ENV } from "../../policies/lib/front-door";
import { plan, PROJECT, ROOT, stackConfig } from "../helpers";

/**
 * The authorizer's code with a jwks.json, as the front door packages it
 * (components/frontDoorApi.ts), loaded under the given environment.
 */
function loadAuthorizer(jwksText: string, env: Record<string, string>): { verify(token: string, now?: number): Record<string, unknown> | null; handler(e: unknown): Promise<unknown> } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authorizer-"));
    fs.copyFileSync(path.join(ROOT, "components", "frontDoorAuthorizer", "index.js"), path.join(dir, "index.js"));
    fs.writeFileSync(path.join(dir, "jwks.json"), jwksText);
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(path.join(dir, "index.js"));
    } finally {
        for (const k of Object.keys(env)) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function sign(key: KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>): string {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${createSign("RSA-SHA256").update(input).sign(key).toString("base64url")}`;
}

describe("front door: the token authorizer verifies JWTs against the configured keys only", () => {
    const issuer = "https://login.partner.example/";
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256" }] });
    // The names the program sets and the pack reads (policies/lib/front-door.ts).
    const env = { [AUTHORIZER_ENV.issuer]: issuer, [AUTHORIZER_ENV.audiences]: JSON.stringify(["api"]), [AUTHORIZER_ENV.jwksSha256]: sha256(jwks) };
    const auth = loadAuthorizer(jwks, env);
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

    it("refuses to start when the packaged keys are not the keys of its environment's digest", () => {
        const others = JSON.stringify({ keys: [{ ...other.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256" }] });
        assert.throws(() => loadAuthorizer(others, env), /packaged keys \(jwks\.json, sha256 [0-9a-f]{64}\) are not the keys it is configured with \(JWKS_SHA256 [0-9a-f]{64}\): refusing to start/);
        assert.throws(() => loadAuthorizer(jwks, { ...env, [AUTHORIZER_ENV.jwksSha256]: "" }), /JWKS_SHA256 unset\): refusing to start/);
        assert.throws(() => loadAuthorizer(jwks, { ...env, [AUTHORIZER_ENV.audiences]: "api" }), /JWT_AUDIENCES is not a JSON array/);
    });

    it("takes the issuer and audiences from its environment: another environment, another verdict", () => {
        const token = sign(privateKey, header, good);
        const partners = loadAuthorizer(jwks, { ...env, [AUTHORIZER_ENV.issuer]: "https://login.other.example/" });
        assert.strictEqual(partners.verify(token, now), null);
        const wider = loadAuthorizer(jwks, { ...env, [AUTHORIZER_ENV.audiences]: JSON.stringify(["api", "admin"]) });
        assert.strictEqual(wider.verify(sign(privateKey, header, { ...good, aud: "admin" }), now)?.sub, "partner-1");
        assert.strictEqual(auth.verify(sign(privateKey, header, { ...good, aud: "admin" }), now), null);
    });

    it("accepts no token while no issuer is configured (still needs input), whatever the token says", () => {
        const none = loadAuthorizer(jwks, { ...env, [AUTHORIZER_ENV.issuer]: "" });
        assert.strictEqual(none.verify(sign(privateKey, header, { ...good, iss: "" }), now), null);
    });
});

describe("front door: the planned token authorizer carries what it verifies, for the policy pack to compare", function () {
    this.timeout(300_000);
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwks = { keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256" }] };
    const issuer = "https://login.partner.example/";

    for (const mode of ["up", "preview"] as const) {
        it(`(${mode}) its environment holds the configured issuer, audiences and the SHA-256 of the compact JWKS document, and it starts with that document`, async () => {
            const config = stackConfig("dev");
            const platform = config[`${PROJECT}:platform`] as { frontDoor: Record<string, unknown> };
            // Written with whitespace, as a stack file may hold it: the function ships and digests it compact.
            const jwt = { issuer, audiences: ["search-api", "partners"], jwks: JSON.stringify(jwks, null, 2) };
            const result = await plan({ ...config, [`${PROJECT}:platform`]: { ...platform, frontDoor: { ...platform.frontDoor, jwt } } }, mode, "dev");
            assert.deepStrictEqual(result.errors ?? [], []);
            const [fn] = result.resources.filter(r => r.type === "aws:lambda/function:Function" && r.name === "front-door-authorizer");
            assert.ok(fn, "the plan has the token authorizer's function");
            const compact = JSON.stringify(jwks);
            const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
            assert.deepStrictEqual(env, { JWT_ISSUER: issuer, JWT_AUDIENCES: '["search-api","partners"]', JWKS_SHA256: sha256(compact) });
            const auth = loadAuthorizer(compact, env);
            const now = 1_800_000_000;
            const token = sign(privateKey, { alg: "RS256", kid: "k1" }, { iss: issuer, aud: "partners", sub: "p", exp: now + 60 });
            assert.strictEqual(auth.verify(token, now)?.sub, "p");
        });
    }
});
