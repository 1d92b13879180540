import { asStrings, bool, get, str } from "./values";

/** The EKS settings of either `aws:eks/cluster:Cluster` or the `eks:index:Cluster` component, read through one shape. */
export interface EksSettings {
    publicAccess: unknown;
    publicAccessCidrs: unknown;
    logTypes: unknown;
    kmsKey: string | undefined;
    encryptsSecrets: boolean;
    version: unknown;
    authenticationMode: unknown;
    paths: Record<"publicAccess" | "publicAccessCidrs" | "logTypes" | "encryption" | "version" | "authenticationMode", string>;
}

export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const EKS_COMPONENT = "eks:index:Cluster";

export function eksSettings(type: string, props: unknown): EksSettings {
    if (type === EKS_COMPONENT) {
        const key = str(get(props, "encryptionConfigKeyArn"));
        return {
            publicAccess: get(props, "endpointPublicAccess"),
            publicAccessCidrs: get(props, "publicAccessCidrs"),
            logTypes: get(props, "enabledClusterLogTypes"),
            kmsKey: key,
            encryptsSecrets: !!key,
            version: get(props, "version"),
            authenticationMode: get(props, "authenticationMode"),
            paths: {
                publicAccess: "endpointPublicAccess",
                publicAccessCidrs: "publicAccessCidrs",
                logTypes: "enabledClusterLogTypes",
                encryption: "encryptionConfigKeyArn",
                version: "version",
                authenticationMode: "authenticationMode",
            },
        };
    }
    const vpc = get(props, "vpcConfig");
    const enc = get(props, "encryptionConfig");
    const encs = Array.isArray(enc) ? enc : enc === undefined || enc === null ? [] : [enc];
    let kmsKey: string | undefined;
    let secrets = false;
    for (const e of encs) {
        const k = str(get(get(e, "provider"), "keyArn"));
        if (k) {
            kmsKey = k;
        }
        if (asStrings(get(e, "resources")).includes("secrets")) {
            secrets = true;
        }
    }
    return {
        publicAccess: get(vpc, "endpointPublicAccess"),
        publicAccessCidrs: get(vpc, "publicAccessCidrs"),
        logTypes: get(props, "enabledClusterLogTypes"),
        kmsKey,
        encryptsSecrets: secrets && !!kmsKey,
        version: get(props, "version"),
        authenticationMode: get(get(props, "accessConfig"), "authenticationMode"),
        paths: {
            publicAccess: "vpcConfig.endpointPublicAccess",
            publicAccessCidrs: "vpcConfig.publicAccessCidrs",
            logTypes: "enabledClusterLogTypes",
            encryption: "encryptionConfig",
            version: "version",
            authenticationMode: "accessConfig.authenticationMode",
        },
    };
}

/** AWS default: the public endpoint is on unless explicitly turned off. */
export function publicEndpointOn(s: EksSettings): boolean {
    return bool(s.publicAccess) !== false;
}
