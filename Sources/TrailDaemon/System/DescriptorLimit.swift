#if canImport(Glibc)
    import Glibc
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`).
///
/// Distributions and systemd start services with a soft limit of 1024 and a much higher hard
/// limit. The daemon uses `select(2)` nowhere, so nothing stops it from raising its soft limit to
/// the hard one (as Go's runtime and systemd's own guidance for such services do): the spool loop,
/// the ledger, the webhook connections and the metrics server then never compete for the last
/// few descriptors.
package enum DescriptorLimit {
    /// Raises the soft limit to the hard limit; returns the limits in force afterwards.
    @discardableResult
    package static func raise() -> (soft: UInt64, hard: UInt64) {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return (0, 0) }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }
}
