import { generateKeyPairSync } from "crypto";

let jwks: string | undefined;

/** A JWKS document with one RSA public key generated once per run (what an issuer's jwks_uri serves). */
export function testJwks(): string {
    if (!jwks) {
        const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
        jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" }] });
    }
    return jwks;
}
