import { redTeamCatalog } from "./harness";
import { PROJECT } from "../helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

/** The red-team catalog with a front door: web behind IAM auth with one open route, orders behind a Cognito user pool authorizer, the notifier function integrated directly. */
export function frontDoorCatalog(): Record<string, unknown> {
    const base = redTeamCatalog();
    const platform = { ...(base[`${PROJECT}:platform`] as Record<string, unknown>), frontDoor: { stageName: "v1", throttling: { rateLimit: 50, burstLimit: 100 }, cognito: { userPoolArn: `arn:aws:cognito-idp:us-east-1:${ACCOUNT_ID}:userpool/us-east-1_RedTeam01` } } };
    const services = (base[`${PROJECT}:services`] as Record<string, unknown>[]).map((s) => {
        if (s.name === "web") {
            return { ...s, expose: { auth: "iam", routes: [{ path: "/shop", methods: ["GET", "POST"] }, { path: "/health", methods: ["GET"], auth: "none", reason: "uptime probes from outside AWS; answers 200 and no data" }] } };
        }
        if (s.name === "orders") {
            return { ...s, expose: { auth: "cognito", routes: [{ path: "/orders", methods: ["GET"] }] } };
        }
        if (s.name === "notifier") {
            return { ...s, expose: { auth: "iam", integration: "lambda", routes: [{ path: "/notify", methods: ["POST"] }] } };
        }
        return s;
    });
    return { ...base, [`${PROJECT}:platform`]: platform, [`${PROJECT}:services`]: services };
}

/** The public key of a partner identity provider (an RSA JWK), as its jwks_uri would serve it. */
const PARTNER_KEY = {
    kty: "RSA",
    kid: "partner-2026",
    alg: "RS256",
    use: "sig",
    n: "nwtzUkLvVqEvi47g2wEN2niKuyPbueOHVUtW12FobYzdsAUSL8Rr-Lug34w4wL5UyOKIeWcKohM0_2v2cFoRkWCytFwrBUfXOQlPT63juTLVU-A3VyM4rWkFT0ObXrN11zxlxVfCfXBiXqiXuReR8fYHlSmJbabPPFbrQxV4rsYyG1tpHyD8-WmWFcgbFgz4ZPgue-1OcSQdQLM5_Ku86E2DTzZmaomuB_kpCT5A4M6xv4wbkBQNVeDmeqD6xjCfFZlIW1DIWC9riKgHflAnztsgqpsKm1Cd78nCAG81aw8nRF2j1jKtIcpDyPKrwwpYFU9wbb-sszgVQ34FMfCc0Q",
    e: "AQAB",
};

/**
 * The front-door catalog with a route behind the token authorizer: search's
 * GET /search with auth lambda, and the partner's issuer, audience and keys
 * (platform.frontDoor.jwt) it accepts.
 */
export function tokenAuthorizerCatalog(): Record<string, unknown> {
    const base = frontDoorCatalog();
    const platform = base[`${PROJECT}:platform`] as { frontDoor: Record<string, unknown> };
    const jwt = { issuer: "https://login.partner.example/", audiences: ["search-api"], jwks: JSON.stringify({ keys: [PARTNER_KEY] }, null, 2) };
    const services = (base[`${PROJECT}:services`] as Record<string, unknown>[]).map((s) =>
        s.name === "search" ? { ...s, expose: { auth: "lambda", routes: [{ path: "/search", methods: ["GET"] }] } } : s,
    );
    return { ...base, [`${PROJECT}:platform`]: { ...platform, frontDoor: { ...platform.frontDoor, jwt } }, [`${PROJECT}:services`]: services };
}
