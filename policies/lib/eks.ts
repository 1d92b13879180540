import { asStrings, bool, get, present } from "./values";

/** The EKS settings of either `aws:eks/cluster:Cluster` or the `eks:index:Cluster` component, read through one shape. */
export interface EksSettings {
    publicAccess: unknown;
    publicAccessCidrs: unknown;
    logTypes: unknown;
    encryptsSecrets: boolean;
    version: unknown;
    authenticationMode: unknown;
    paths: Record<"publicAccess" | "publicAccessCidrs" | "logTypes" | "encryption" | "version" | "authenticationMode", string>;
}

export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const EKS_COMPONENT = "eks:index:Cluster";

/**
 * Reads lazily: each rule touches only the settings it checks, so an unknown
 * value elsewhere (say the KMS key ARN in preview) does not stop it deciding.
 */
export function eksSettings(type: string, props: unknown): EksSettings {
    if (type === EKS_COMPONENT) {
        return {
            get publicAccess() {
                return get(props, "endpointPublicAccess");
            },
            get publicAccessCidrs() {
                return get(props, "publicAccessCidrs");
            },
            get logTypes() {
                return get(props, "enabledClusterLogTypes");
            },
            get encryptsSecrets() {
                return present(props, "encryptionConfigKeyArn");
            },
            get version() {
                return get(props, "version");
            },
            get authenticationMode() {
                return get(props, "authenticationMode");
            },
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
    const vpc = () => get(props, "vpcConfig");
    return {
        get publicAccess() {
            return get(vpc(), "endpointPublicAccess");
        },
        get publicAccessCidrs() {
            return get(vpc(), "publicAccessCidrs");
        },
        get logTypes() {
            return get(props, "enabledClusterLogTypes");
        },
        get encryptsSecrets() {
            const enc = get(props, "encryptionConfig");
            const encs = Array.isArray(enc) ? enc : enc === undefined || enc === null ? [] : [enc];
            return encs.some((e) => present(get(e, "provider"), "keyArn") && asStrings(get(e, "resources")).includes("secrets"));
        },
        get version() {
            return get(props, "version");
        },
        get authenticationMode() {
            return get(get(props, "accessConfig"), "authenticationMode");
        },
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
