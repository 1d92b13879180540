// The front door's token authorizer (API Gateway Lambda authorizer, TOKEN
// type): verifies an RS256 JWT against the issuer's public keys shipped with
// the function (config.json: issuer, audiences, jwks). It runs in the edge VPC
// without internet, so it never fetches keys. Node.js built-ins only.
// Input/output shapes: API Gateway Developer Guide, "Input to an API Gateway
// Lambda authorizer" and "Output from an API Gateway Lambda authorizer"
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html).
"use strict";
const crypto = require("crypto");
const config = require("./config.json");

const keys = new Map();
for (const jwk of (config.jwks && config.jwks.keys) || []) {
    if (jwk.kty === "RSA" && jwk.kid) {
        keys.set(jwk.kid, crypto.createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" }));
    }
}

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
    const key = keys.get(header.kid);
    if (!key) return null;
    const ok = crypto.verify("RSA-SHA256", Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], "base64url"));
    if (!ok) return null;
    if (claims.iss !== config.issuer) return null;
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some(a => (config.audiences || []).includes(a))) return null;
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
