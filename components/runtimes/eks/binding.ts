/**
 * The NodePort the service is exposed on, derived from its port so it is
 * stable and readable: 30000 + port % 1000 (8080 → 30080, 9443 → 30443).
 * One cluster per service, so two services never compete for it.
 */
export function nodePortFor(port: number): number {
    return 30000 + (port % 1000);
}
