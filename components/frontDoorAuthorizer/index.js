// The front door's token authorizer (API Gateway Lambda authorizer, TOKEN
// type): verifies an RS256 JWT against the issuer's public keys shipped with
// the function (jwks.json), for the issuer and audiences of its environment
// (JWT_ISSUER, JWT_AUDIENCES: a JSON array). The environment also carries
// the SHA-256 of the keys it was configured with (JWKS_SHA256): the function
// refuses to start when the packaged keys are other keys, so the keys the
// policy pack judges (policies/lib/front-door.ts AUTHORIZER_ENV) are the ones
// it uses. It runs in the edge VPC without internet, so it never fetches
// keys. Node.js built-ins only.
// Input/output shapes: API Gateway Developer Guide, "Input to an API Gateway
// Lambda authorizer" and "Output from an API Gateway Lambda authorizer"
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html).
// An error thrown while the module loads fails the function's Init phase and
// every invocation with it (Lambda Developer Guide, "Understand the Lambda
// execution environment lifecycle", failures during the Init phase); API
// Gateway lets no request through an authorizer that fails: it answers 500
// (API Gateway Developer Guide, "Use API Gateway Lambda authorizers", the
// example TOKEN authorizer: an error other than "Unauthorized" is a 500).
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** What the function was configured with: the issuer, the audiences and the keys, checked against each other. */
function loadConfig(env, jwksText) {
    const issuer = env.JWT_ISSUER || "";
    let audiences;
    try {
        audiences = JSON.parse(env.JWT_AUDIENCES || "[]");
    } catch {
        throw new Error("front door authorizer: JWT_AUDIENCES is not a JSON array of audiences: refusing to start");
    }
    if (!Array.isArray(audiences) || !audiences.every(a => typeof a === "string")) {
        throw new Error("front door authorizer: JWT_AUDIENCES is not a JSON array of audiences: refusing to start");
    }
    const digest = crypto.createHash("sha256").update(jwksText, "utf8").digest("hex");
    if (digest !== env.JWKS_SHA256) {
        throw new Error(`front door authorizer: the packaged keys (jwks.json, sha256 ${digest}) are not the keys it is configured with (JWKS_SHA256 ${env.JWKS_SHA256 || "unset"}): refusing to start`);
    }
    const keys = new Map();
    for (const jwk of JSON.parse(jwksText).keys || []) {
        if (jwk.kty === "RSA" && jwk.kid) {
            keys.set(jwk.kid, crypto.createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" }));
        }
    }
    return { issuer, audiences, keys };
}

const config = loadConfig(process.env, fs.readFileSync(path.join(__dirname, "jwks.json"), "utf8"));

function b64json(part) {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

/** The token's claims when it verifies, else null. Exported for tests. */
function verify(token, now = Math.floor(Date.now() / 1000)) {
    const parts = typeof token === "string" ? token.replace(/^Bearer\s+/i, "").split(".") : [];
    if (parts.length !== 3) return null;
    let header, claims;
    try {
        header = b64json(parts[0]);
        claims = b64json(parts[1]);
    } catch {
        return null;
    }
    if (header.alg !== "RS256") return null;
    const key = config.keys.get(header.kid);
    if (!key) return null;
    const ok = crypto.verify("RSA-SHA256", Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], "base64url"));
    if (!ok) return null;
    // No issuer configured (still { needsInput }): no token is accepted.
    if (config.issuer === "" || claims.iss !== config.issuer) return null;
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some(a => config.audiences.includes(a))) return null;
    if (typeof claims.exp !== "number" || claims.exp < now - 60) return null;
    if (typeof claims.nbf === "number" && claims.nbf > now + 60) return null;
    return claims;
}

function policy(principalId, effect, resource, context) {
    return {
        principalId,
        policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] },
        context,
    };
}

exports.verify = verify;
exports.handler = async event => {
    const claims = verify(event.authorizationToken);
    if (!claims) {
        // API Gateway answers 401 for this error message.
        throw new Error("Unauthorized");
    }
    // Allow every method of this stage for this caller: the result is cached
    // per token (authorizerResultTtlInSeconds), across the API's routes.
    const [arnPrefix, stage] = event.methodArn.split("/");
    return policy(String(claims.sub || "unknown"), "Allow", `${arnPrefix}/${stage}/*`, { sub: String(claims.sub || "") });
};
